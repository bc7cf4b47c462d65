"""Secrets at rest, the periodic jobs and the task API."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.utils import timezone

from cong.syndication import crypto
from cong.syndication.models import Channel, OutboxPost


def _raw(channel, column="access_token"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM syndication_channel WHERE id = %s", [channel.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_secrets_encrypted_with_a_dedicated_key_and_rotated(network, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONG_ENCRYPTION_KEY = old
    channel = Channel.objects.create(portal=network.portals["b"], kind="facebook", account_id="1",
                                     access_token="TOKEN-OLD-KEY")
    raw = _raw(channel)
    assert "TOKEN" not in raw and Fernet(old.encode()).decrypt(raw.removeprefix("fernet:").encode()) == b"TOKEN-OLD-KEY"
    # a new key first, the old one kept for reading: old rows still read, new writes use the new key
    settings.CONG_ENCRYPTION_KEY = f"{new},{old}"
    assert Channel.objects.get(pk=channel.pk).access_token == "TOKEN-OLD-KEY"
    channel.access_token = "TOKEN-NEW-KEY"
    channel.save()
    assert Fernet(new.encode()).decrypt(_raw(channel).removeprefix("fernet:").encode()) == b"TOKEN-NEW-KEY"
    # without the key the secret cannot be read at all
    settings.CONG_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Channel.objects.get(pk=channel.pk)


def test_default_key_derives_from_secret_key(network, settings):
    settings.CONG_ENCRYPTION_KEY = ""
    channel = Channel.objects.create(portal=network.portals["b"], kind="zalo", app_secret="S3CRET")
    assert Channel.objects.get(pk=channel.pk).app_secret == "S3CRET"
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Channel.objects.get(pk=channel.pk)


def test_mask_never_shows_more_than_four_characters():
    assert crypto.mask("EAAG-very-long-page-token-9f3a") == "••••9f3a"
    assert crypto.mask("short") == "••••"
    assert crypto.mask("") == ""


def test_periodic_jobs_deliver_and_sweep(spread_item, facebook_channel, graph):
    from cong.core.scheduler import periodic_jobs, run_due

    names = {job.name for job in periodic_jobs()}
    assert {"syndication_outbox", "syndication_sweep"} <= names
    item = spread_item(facebook=True)
    OutboxPost.objects.filter(item_id=item.pk).delete()
    ran = run_due({}, timezone.now().timestamp(), force=True)
    assert "syndication_sweep" in ran and "syndication_outbox" in ran
    # the sweep ran before or after the drain: one more pass posts whatever is left
    run_due({}, timezone.now().timestamp() + 1000, force=True)
    assert OutboxPost.objects.get(item_id=item.pk).state == "sent"
    assert len(graph.posts_linking(item.get_full_url())) == 1


def test_task_delivered_twice_posts_once(spread_item, facebook_channel, graph):
    from cong.syndication.tasks import outbox_deliver_task

    item = spread_item(facebook=True)
    row = OutboxPost.objects.get(item_id=item.pk)
    first = outbox_deliver_task.enqueue(post_id=row.pk)
    second = outbox_deliver_task.enqueue(post_id=row.pk)
    assert (first.return_value, second.return_value) == ("sent", "")
    assert graph.count("POST", "/feed") == 1


def test_publish_commits_then_the_task_runs(network, spread_item, facebook_channel, graph, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = spread_item(facebook=True)
    assert OutboxPost.objects.get(item_id=item.pk).state == "sent"
    assert len(graph.posts_linking(item.get_full_url())) == 1


def test_workflow_approval_publishes_and_writes_rows_atomically(network, publish_item, facebook_channel, graph):
    """Publishing through the portal's workflow runs inside TaskState.approve's
    transaction: the outbox row is there when the approval returns."""
    from wagtail.models import Page

    from cong.content.models import ArticlePage, Category

    writer = network.user("a", "bien_tap_vien")
    chief = network.user("a", "truong_ban")
    parent = network.portals["a"].site.root_page.get_children().get(slug="tin-tuc-su-kien")
    page = parent.add_child(instance=ArticlePage(
        title="Tin qua quy trình", slug="tin-qua-quy-trinh", live=False, spread_facebook=True,
        category=Category.objects.get(slug="tin-tuc-su-kien"),
    ))
    revision = page.save_revision(user=writer)
    workflow = page.get_workflow()
    state = workflow.start(page, writer)
    for user in (network.user("a", "thu_ky"), chief):
        state.refresh_from_db()
        state.current_task_state.approve(user=user)
    page = Page.objects.get(pk=page.pk).specific
    assert page.live
    row = OutboxPost.objects.get(item_id=page.pk)
    assert row.revision_id == page.live_revision_id and row.revision_id >= revision.pk
