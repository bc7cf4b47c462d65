"""The ``share`` import kind and the report's count of items spread."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from cong.syndication.models import OutboxPost, Share
from cong.syndication.selectors import items_shared_count, items_spread

from .conftest import drain

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _import(tmp_path, records, *args):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    call_command("import_records", str(path), *args)


def _content(cid, day):
    return {"kind": "content", "id": cid, "unit": "so-a", "type": "article", "title": f"Tin {cid}",
            "published_at": f"2024-{day}T08:00:00+07:00", "category": "tin-tuc-su-kien"}


def test_share_records_import_idempotently_and_count_once_per_item(tmp_path, network):
    records = [
        _content("c1", "04-02"), _content("c2", "04-03"), _content("c3", "06-30"),
        {"kind": "share", "id": "s1", "content": "c1", "channel": "zalo", "shared_at": "2024-04-02T09:00:00+07:00"},
        {"kind": "share", "id": "s2", "content": "c1", "channel": "facebook", "shared_at": "2024-04-02T10:00:00",
         "external_url": "https://www.facebook.com/so.a/posts/1"},
        {"kind": "share", "id": "s3", "content": "c2", "channel": "facebook", "shared_at": "2024-06-30T23:30:00+07:00"},
        # 30/6 23:30 UTC is 1/7 06:30 in Vietnam: the next quarter
        {"kind": "share", "id": "s4", "content": "c3", "channel": "zalo", "shared_at": "2024-06-30T23:30:00+00:00"},
    ]
    _import(tmp_path, records)
    _import(tmp_path, records)
    assert Share.objects.count() == 4
    unit = network.units["a"]
    q2 = (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert items_shared_count(unit, *q2) == 2
    assert items_spread(portal=network.portals["a"], start=q2[0], end=q2[1]) == {"zalo": 1, "facebook": 2, "total": 2}
    assert items_shared_count(unit, dt.date(2024, 7, 1), dt.date(2024, 7, 1)) == 1
    assert items_shared_count(network.units["b"], *q2) == 0
    assert items_shared_count(network.units["a"], dt.date(2024, 4, 3), dt.date(2024, 6, 29)) == 0


def test_share_of_unknown_content_is_refused(tmp_path, network, capsys):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        _import(tmp_path, [{"kind": "share", "id": "x", "content": "nope", "channel": "zalo",
                            "shared_at": "2024-04-02T09:00:00+07:00"}])
    assert not Share.objects.exists()


def test_sent_outbox_posts_count_dry_runs_and_failures_do_not(network, spread_item, facebook_channel, zalo_channel, graph, zalo):
    both = spread_item(facebook=True, zalo=True)
    only_fb = spread_item(facebook=True)
    drain()
    graph.tokens.clear()
    failed = spread_item(facebook=True)
    drain()
    assert OutboxPost.objects.get(item_id=failed.pk).state == "failed"
    graph.tokens.add("PAGE-TOKEN")
    zalo_channel.dry_run = True
    zalo_channel.save()
    dry = spread_item(zalo=True)
    drain()
    assert OutboxPost.objects.get(item_id=dry.pk).operation == "dry_run"
    today = timezone.localdate()
    assert items_shared_count(network.units["a"], today, today) == 2
    assert items_spread(portal=network.portals["a"], start=today, end=today) == {"zalo": 1, "facebook": 2, "total": 2}
    # an update of an item already spread is not a new share
    both.title = "Sửa"
    both.save_revision().publish()
    drain()
    assert items_shared_count(network.units["a"], today, today) == 2
    yesterday = today - dt.timedelta(days=1)
    assert items_shared_count(network.units["a"], yesterday, yesterday) == 0
    assert only_fb.pk != both.pk
