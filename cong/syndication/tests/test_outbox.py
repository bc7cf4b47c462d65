"""The outbox: rows written with the publish, one post per item and channel
whatever fails, against the fake Graph and Zalo servers."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from cong.syndication import services
from cong.syndication.models import ChannelPost, OutboxPost

from .conftest import drain


def _rows(item, kind=None):
    qs = OutboxPost.objects.filter(item_id=item.pk)
    return qs.filter(channel_kind=kind) if kind else qs


def test_publish_writes_one_row_per_ticked_channel_with_a_fixed_key(spread_item):
    item = spread_item(facebook=True, zalo=True)
    rows = list(_rows(item).order_by("channel_kind"))
    assert [r.channel_kind for r in rows] == ["facebook", "zalo"]
    assert all(r.revision_id == item.live_revision_id and r.state == "pending" for r in rows)
    # the same publish delivered again (signal twice, the sweep) adds nothing
    assert services.outbox_on_publish(item=item, revision=item.live_revision) == []
    assert _rows(item).count() == 2
    assert len({r.idempotency_key for r in rows}) == 2


def test_category_default_decides_when_the_item_does_not(network, publish_item):
    from cong.content.models import Category

    Category.objects.filter(slug="chuyen-doi-so").update(spread_facebook_default=True)
    item = publish_item(network.portals["a"], category="chuyen-doi-so")
    assert list(_rows(item).values_list("channel_kind", flat=True)) == ["facebook"]
    plain = publish_item(network.portals["a"])
    assert not _rows(plain).exists()


def test_outbox_row_rolls_back_with_the_publish(network, publish_item):
    from cong.content.models import ArticlePage, Category

    parent = network.portals["a"].site.root_page.get_children().get(slug="tin-tuc-su-kien")
    page = parent.add_child(instance=ArticlePage(
        title="Tin hủy", slug="tin-huy", live=False, spread_facebook=True,
        category=Category.objects.get(slug="tin-tuc-su-kien"),
    ))
    seen = []

    def publish_then_fail():
        with transaction.atomic():
            page.save_revision().publish()
            seen.append(_rows(page).count())
            raise RuntimeError("publish fails after the signal")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert seen == [1]
    assert not _rows(page).exists()


def test_scheduled_publish_spreads_when_the_item_goes_live(network):
    from cong.content.models import ArticlePage, Category

    parent = network.portals["a"].site.root_page.get_children().get(slug="tin-tuc-su-kien")
    page = parent.add_child(instance=ArticlePage(
        title="Tin hẹn giờ", slug="tin-hen-gio", live=False, spread_facebook=True,
        category=Category.objects.get(slug="tin-tuc-su-kien"),
        go_live_at=timezone.now() + dt.timedelta(hours=1),
    ))
    page.save_revision().publish()
    assert not _rows(page).exists()
    page.refresh_from_db()
    page.go_live_at = None
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
    assert _rows(page).get().revision_id == page.live_revision_id


def test_sweep_recreates_a_row_lost_between_publish_and_outbox(spread_item):
    item = spread_item(facebook=True)
    _rows(item).delete()  # as if the process died after the page was saved
    assert services.outbox_sweep() == 1
    assert services.outbox_sweep() == 0
    assert _rows(item).get().revision_id == item.live_revision_id


def test_facebook_post_created_once_with_link_and_message(spread_item, facebook_channel, graph):
    item = spread_item(facebook=True, title="Hội nghị chuyển đổi số")
    drain()
    row = _rows(item).get()
    assert row.state == "sent" and row.operation == "create"
    posts = graph.posts_linking(item.get_full_url())
    assert len(posts) == 1
    assert posts[0]["message"].startswith("Hội nghị chuyển đổi số")
    assert row.external_id == posts[0]["id"]
    assert ChannelPost.objects.get(item_id=item.pk).external_url.startswith("https://www.facebook.com/")
    # the task delivered again does nothing
    assert services.outbox_deliver(row.pk) == ""
    assert len(graph.posts_linking(item.get_full_url())) == 1


def test_channel_unreachable_is_retried_not_unknown(spread_item, facebook_channel, settings):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CONG_FACEBOOK_GRAPH_URL = f"http://127.0.0.1:{port}/v21.0"  # nothing listens: never sent
    item = spread_item(facebook=True)
    drain()
    row = _rows(item).get()
    assert row.state == "pending" and row.unknown_since is None
    assert row.attempt_log.get().outcome == "retry"


def test_rate_limit_is_retried_with_backoff(spread_item, facebook_channel, graph):
    graph.fail_next("create", "rate_limit")
    item = spread_item(facebook=True)
    drain()
    row = _rows(item).get()
    assert row.state == "pending" and row.next_attempt_at > timezone.now()
    assert "giới hạn" in row.error
    OutboxPost.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    drain()
    row.refresh_from_db()
    assert row.state == "sent"
    assert len(graph.posts_linking(item.get_full_url())) == 1
    assert list(row.attempt_log.values_list("outcome", flat=True)) == ["retry", "created"]


@pytest.mark.parametrize("fault", ["timeout_after_create", "drop_after_create", "server_error"])
def test_unknown_outcome_is_settled_by_listing_never_by_posting_again(spread_item, facebook_channel, graph, fault):
    graph.fail_next("create", fault)
    item = spread_item(facebook=True)
    drain()
    row = _rows(item).get()
    expected_posts = 0 if fault == "server_error" else 1
    assert len(graph.posts_linking(item.get_full_url())) == expected_posts
    if row.state == "unknown":
        OutboxPost.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        drain()
        row.refresh_from_db()
    creates = graph.count("POST", "/feed")
    assert creates == 1  # never posted again
    if expected_posts:
        assert row.state == "sent"
        assert row.external_id == graph.posts_linking(item.get_full_url())[0]["id"]
        assert "found" in row.attempt_log.values_list("outcome", flat=True)
    else:
        assert row.state == "unknown"


def test_unknown_not_found_fails_after_settling_and_notifies_board(network, spread_item, facebook_channel, graph, settings, mailoutbox):
    chief = network.user("a", "truong_ban")
    chief.email = "truongban@stttt.binhan.test"
    chief.save()
    graph.fail_next("create", "server_error")
    item = spread_item(facebook=True)
    drain()
    row = _rows(item).get()
    assert row.state == "unknown"
    OutboxPost.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now(), unknown_since=timezone.now() - dt.timedelta(hours=1),
    )
    drain()
    row.refresh_from_db()
    assert row.state == "failed" and "tránh đăng trùng" in row.error
    assert [m.to for m in mailoutbox] == [["truongban@stttt.binhan.test"]]
    assert graph.count("POST", "/feed") == 1
    # the board retries after checking: the row is looked for again, then posted
    services.outbox_retry(post=row, actor=chief)
    drain()
    row.refresh_from_db()
    assert row.state == "sent" and len(graph.posts_linking(item.get_full_url())) == 1


def test_crash_between_reply_and_database_write(spread_item, facebook_channel, graph, monkeypatch):
    item = spread_item(facebook=True)
    row = _rows(item).get()

    class WorkerKilled(BaseException):
        """Stands for the process being killed (not an Exception: nothing catches it)."""

    def killed(*args, **kwargs):
        raise WorkerKilled

    monkeypatch.setattr(services, "_record_created", killed)
    with pytest.raises(WorkerKilled):
        services.outbox_deliver(row.pk, worker="w1")
    monkeypatch.undo()
    row.refresh_from_db()
    assert row.state == "sending"
    assert len(graph.posts_linking(item.get_full_url())) == 1
    # a restarted worker: nothing happens while the lease runs
    assert drain()["delivered"] == 0
    OutboxPost.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    drain()
    row.refresh_from_db()
    assert row.state == "sent"
    assert graph.count("POST", "/feed") == 1
    assert ChannelPost.objects.filter(item_id=item.pk).count() == 1


def test_expired_facebook_token_fails_with_reason_publish_succeeds(network, spread_item, facebook_channel, graph, mailoutbox):
    deputy = network.user("a", "pho_truong_ban")
    deputy.email = "pho@stttt.binhan.test"
    deputy.save()
    graph.tokens.clear()
    item = spread_item(facebook=True)
    assert item.live
    drain()
    row = _rows(item).get()
    assert row.state == "failed" and "hết hạn" in row.error
    assert mailoutbox and "hết hạn" in mailoutbox[0].body
    assert row.attempt_log.get().error_code == "190"


def test_missing_channel_fails_with_vietnamese_reason(spread_item):
    item = spread_item(facebook=True)
    drain()
    row = _rows(item).get()
    assert row.state == "failed" and "chưa cấu hình" in row.error


def test_missing_credentials(spread_item, facebook_channel, graph):
    facebook_channel.access_token = ""
    facebook_channel.save()
    item = spread_item(facebook=True)
    drain()
    assert "Chưa khai báo mã truy cập" in _rows(item).get().error
    assert graph.count("POST", "/feed") == 0


def test_dry_run_records_without_posting(spread_item, facebook_channel, graph):
    facebook_channel.dry_run = True
    facebook_channel.save()
    item = spread_item(facebook=True)
    drain()
    row = _rows(item).get()
    assert row.state == "sent" and row.operation == "dry_run"
    assert graph.requests == []


def test_edit_updates_and_unpublish_removes_the_post(spread_item, facebook_channel, graph):
    item = spread_item(facebook=True, title="Tin ban đầu")
    drain()
    post_id = _rows(item).get().external_id
    item.title = "Tin đã sửa"
    item.save_revision().publish()
    drain()
    assert graph.posts[post_id]["message"].startswith("Tin đã sửa")
    assert _rows(item).count() == 2 and _rows(item).first().operation == "update"
    item.refresh_from_db()
    item.unpublish()
    drain()
    assert graph.posts[post_id]["deleted"]
    assert _rows(item).first().operation == "remove"
    assert ChannelPost.objects.get(item_id=item.pk).removed_at is not None
    assert graph.count("POST", "/feed") == 1


def test_deleting_a_spread_item_removes_its_post(spread_item, facebook_channel, graph):
    item = spread_item(facebook=True, title="Tin sẽ bị xóa")
    drain()
    post_id = _rows(item).get().external_id
    item_pk = item.pk
    item.delete()
    row = OutboxPost.objects.filter(action="remove").order_by("-pk").first()
    assert row is not None and row.item_id is None and row.item_title == "Tin sẽ bị xóa"
    drain()
    row.refresh_from_db()
    assert row.state == "sent" and row.operation == "remove"
    assert graph.posts[post_id]["deleted"]
    assert ChannelPost.objects.get(external_id=post_id).removed_at is not None
    assert not OutboxPost.objects.filter(item_id=item_pk).exists()


def test_unticking_a_channel_removes_its_post(spread_item, facebook_channel, graph):
    item = spread_item(facebook=True)
    drain()
    item.spread_facebook = False
    item.save_revision().publish()
    drain()
    assert _rows(item).first().action == "remove"
    assert graph.posts_linking(item.get_full_url()) == []


def test_rows_of_one_item_and_channel_run_in_order(spread_item, facebook_channel, graph):
    item = spread_item(facebook=True, title="Bản 1")
    item.title = "Bản 2"
    item.save_revision().publish()
    _first, second = _rows(item).order_by("pk")
    assert services.outbox_deliver(second.pk) == ""  # waits for the first
    drain()
    assert graph.count("POST", "/feed") == 1
    assert graph.posts_linking(item.get_full_url())[0]["message"].startswith("Bản 2")


def test_retry_of_an_unknown_post_looks_first_and_never_posts_blind(spread_item, facebook_channel, graph):
    graph.fail_next("create", "timeout_after_create")
    found = spread_item(facebook=True)
    graph.fail_next("create", "server_error")
    unlisted = spread_item(facebook=True)
    drain()
    found_row, unlisted_row = _rows(found).get(), _rows(unlisted).get()
    assert found_row.state == unlisted_row.state == "unknown"
    # the board retries while the channel cannot be listed: nothing is posted
    graph.tokens.clear()
    assert services.outbox_retry(post=unlisted_row) == "unknown"
    graph.tokens.add("PAGE-TOKEN")
    # the one that exists is found, not posted again
    assert services.outbox_retry(post=found_row) == "sent"
    assert graph.count("POST", "/feed") == 2
    # the one that is absent is posted once
    unlisted_row.refresh_from_db()
    assert services.outbox_retry(post=unlisted_row) == "pending"
    drain()
    assert len(graph.posts_linking(unlisted.get_full_url())) == 1
    assert len(graph.posts_linking(found.get_full_url())) == 1


def test_a_worker_whose_lease_was_taken_over_does_not_record_twice(spread_item, facebook_channel, graph, monkeypatch):
    """A worker stalls past its lease; another settles the row by listing. The
    stalled worker's late write is refused: one post, one record."""
    item = spread_item(facebook=True)
    row = _rows(item).get()
    real_create = services.FacebookClient.feed_create

    def stalled_create(self, **kwargs):
        post_id = real_create(self, **kwargs)
        # meanwhile the lease ran out and another worker settled the row
        OutboxPost.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        services.outbox_recover()
        assert services.outbox_reconcile(row.pk, worker="w2") == "sent"
        return post_id

    monkeypatch.setattr(services.FacebookClient, "feed_create", stalled_create)
    assert services.outbox_deliver(row.pk, worker="w1") == ""
    row.refresh_from_db()
    assert row.state == "sent"
    assert ChannelPost.objects.filter(item_id=item.pk).count() == 1
    assert graph.count("POST", "/feed") == 1
