"""Zalo OA: article create → verify → broadcast, tokens, faults."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from cong.syndication import services
from cong.syndication.models import Channel, ChannelPost, OutboxPost

from .conftest import drain


def _row(item):
    return OutboxPost.objects.filter(item_id=item.pk, channel_kind="zalo").order_by("-pk").first()


def _due(row):
    OutboxPost.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())


def test_article_created_verified_and_broadcast_once(spread_item, zalo_channel, zalo):
    item = spread_item(zalo=True, title="Lễ hội trái cây")
    drain()
    row = _row(item)
    assert row.state == "sent" and row.operation == "create"
    [article] = zalo.live_articles()
    assert article["title"] == "Lễ hội trái cây"
    assert article["cover"]["photo_url"].startswith("http://stttt.binhan.test/")
    assert any(item.get_full_url() in b["content"] for b in article["body"])
    assert row.external_id == article["id"]
    assert zalo.broadcasts == [article["id"]]
    assert services.outbox_deliver(row.pk) == ""
    assert zalo.count("POST", "/article/create") == 1


def test_cover_image_is_required(spread_item, zalo_channel, zalo):
    item = spread_item(zalo=True, image=False)
    drain()
    row = _row(item)
    assert row.state == "failed" and "ảnh đại diện" in row.error
    assert zalo.count("POST", "/article/create") == 0


def test_slow_verify_is_polled_without_creating_again(spread_item, zalo_channel, zalo):
    zalo.verify_after = 2
    item = spread_item(zalo=True)
    drain()
    row = _row(item)
    assert row.state == "pending" and row.zalo_token
    for _ in range(2):
        _due(row)
        drain()
    row.refresh_from_db()
    assert row.state == "sent"
    assert zalo.count("POST", "/article/create") == 1
    assert zalo.count("POST", "/article/verify") == 3
    assert len(zalo.broadcasts) == 1


@pytest.mark.parametrize("fault", ["timeout_after_create", "drop_after_create"])
def test_create_without_answer_is_found_by_listing(spread_item, zalo_channel, zalo, fault):
    zalo.fail_next("create", fault)
    item = spread_item(zalo=True)
    drain()
    row = _row(item)
    assert row.state in ("unknown", "sent")
    _due(row)
    drain()
    row.refresh_from_db()
    assert row.state == "sent"
    assert zalo.count("POST", "/article/create") == 1
    assert len(zalo.live_articles()) == 1
    assert zalo.broadcasts == [row.external_id]


def test_worker_killed_after_create_resumes_at_verify(spread_item, zalo_channel, zalo, monkeypatch):
    item = spread_item(zalo=True)
    row = _row(item)

    class WorkerKilled(BaseException):
        """Stands for the process being killed (not an Exception: nothing catches it)."""

    def killed(*a, **kw):
        raise WorkerKilled

    monkeypatch.setattr(services, "_record_created", killed)
    with pytest.raises(WorkerKilled):
        services.outbox_deliver(row.pk)
    monkeypatch.undo()
    OutboxPost.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    drain()
    row.refresh_from_db()
    assert row.state == "sent"
    assert zalo.count("POST", "/article/create") == 1
    assert len(zalo.broadcasts) == 1


def test_rate_limit_retried(spread_item, zalo_channel, zalo):
    zalo.fail_next("create", "rate_limit")
    item = spread_item(zalo=True)
    drain()
    row = _row(item)
    assert row.state == "pending" and row.error
    _due(row)
    drain()
    row.refresh_from_db()
    assert row.state == "sent" and len(zalo.live_articles()) == 1


def test_expired_access_token_is_refreshed_and_the_pair_saved(spread_item, zalo_channel, zalo):
    zalo.expire_access_tokens()
    zalo.access_tokens.clear()
    item = spread_item(zalo=True)
    drain()
    assert _row(item).state == "sent"
    assert zalo.refresh_calls == 1 and "ZALO-RT-1" in zalo.used_refresh_tokens
    channel = Channel.objects.get(pk=zalo_channel.pk)
    assert channel.access_token == "ZALO-AT-R1" and channel.refresh_token == "ZALO-RT-R1"
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM syndication_channel WHERE id = %s", [channel.pk])
        raw = cursor.fetchone()
    assert all(v.startswith("fernet:") and "ZALO" not in v for v in raw)


def test_token_expiring_soon_is_refreshed_first(spread_item, zalo_channel, zalo):
    Channel.objects.filter(pk=zalo_channel.pk).update(access_token_expires_at=timezone.now())
    item = spread_item(zalo=True)
    drain()
    assert _row(item).state == "sent" and zalo.refresh_calls == 1


def test_used_refresh_token_fails_with_reason(network, spread_item, zalo_channel, zalo, mailoutbox):
    chief = network.user("a", "truong_ban")
    chief.email = "tb@stttt.binhan.test"
    chief.save()
    zalo.access_tokens.clear()
    zalo.refresh_tokens.clear()
    item = spread_item(zalo=True)
    drain()
    row = _row(item)
    assert row.state == "failed" and "cấp quyền lại" in row.error
    assert mailoutbox and item.title in mailoutbox[0].body


def test_second_worker_uses_the_pair_the_first_renewed(zalo_channel, zalo):
    zalo.access_tokens.clear()
    stale = zalo_channel.access_token
    first = services.zalo_token_refresh(channel=zalo_channel, stale_access_token=stale)
    second = services.zalo_token_refresh(channel=zalo_channel, stale_access_token=stale)
    assert first.access_token == second.access_token == "ZALO-AT-R1"
    assert zalo.refresh_calls == 1


def test_edit_updates_and_unpublish_removes_the_article(spread_item, zalo_channel, zalo):
    item = spread_item(zalo=True, title="Tin Zalo")
    drain()
    article_id = _row(item).external_id
    item.title = "Tin Zalo đã sửa"
    item.save_revision().publish()
    drain()
    assert zalo.articles[article_id]["title"] == "Tin Zalo đã sửa"
    assert len(zalo.broadcasts) == 1
    item.refresh_from_db()
    item.unpublish()
    drain()
    assert zalo.articles[article_id]["removed"]
    assert ChannelPost.objects.get(item_id=item.pk).removed_at is not None
