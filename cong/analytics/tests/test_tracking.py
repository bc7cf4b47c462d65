"""Beacon sequences as browsers send them, through the endpoint, to the
figures of the rollup."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cong.analytics import services
from cong.analytics.models import (
    CollectorCount,
    DeviceDay,
    Event,
    PageDay,
    PortalDay,
    PortalHour,
    ReferrerDay,
)

from .conftest import ANDROID

DAY = dt.date(2026, 3, 2)
NINE = "2026-03-02 02:00:00+00:00"  # 09:00 in Asia/Ho_Chi_Minh


def day_row(portal) -> PortalDay:
    return PortalDay.objects.get(portal=portal, date=DAY)


def test_a_visit_of_two_pages_has_its_engaged_length(network, browser):
    reader = browser("a")
    with freeze_time(NINE) as clock:
        home = reader.load("/", referrer="https://www.google.com/search?q=so+thong+tin")
        clock.tick(15)
        reader.heartbeat(home, 15)
        clock.tick(15)
        reader.heartbeat(home, 30)
        clock.tick(10)
        article = reader.load("/tin-tuc-su-kien/hoi-nghi/", referrer=f"https://{reader.host}/")
        clock.tick(60)
        reader.heartbeat(article, 20)  # the tab was hidden for 40 s
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.pageviews, row.visit_seconds, row.visitors, row.bounces) == (1, 2, 50, 1, 0)
    pages = {p.path: p for p in PageDay.objects.filter(portal=network.portals["a"], date=DAY)}
    assert pages["/"].entries == 1 and pages["/"].engaged_seconds == 30
    assert pages["/tin-tuc-su-kien/hoi-nghi/"].entries == 0
    assert ReferrerDay.objects.get(portal=network.portals["a"], date=DAY).host == "www.google.com"
    hour = PortalHour.objects.get(portal=network.portals["a"], date=DAY)
    assert (hour.hour, hour.visits, hour.pageviews) == (9, 1, 2)
    assert not PortalDay.objects.filter(portal=network.portals["b"]).exists()


def test_a_one_page_visit_is_not_zero_seconds(network, browser):
    reader = browser("a")
    with freeze_time(NINE) as clock:
        pid = reader.load("/van-ban/")
        for second in (15, 30, 45, 60, 75, 90):
            clock.tick(15)
            reader.heartbeat(pid, second)
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.pageviews, row.visit_seconds, row.bounces) == (1, 1, 90, 1)


def test_thirty_minutes_without_activity_end_a_visit(network, browser):
    reader = browser("a")
    with freeze_time(NINE) as clock:
        first = reader.load("/")
        clock.tick(20 * 60)
        reader.heartbeat(first, 1200)  # still reading at 09:20
        clock.tick(25 * 60)
        reader.load("/lien-he/")  # 09:45: 25 min after the last activity
        clock.tick(31 * 60)
        reader.load("/")  # 10:16: 31 min of silence, a new visit
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.pageviews, row.visitors) == (2, 3, 1)
    assert row.visit_seconds == 1200


def test_forged_heartbeats_cannot_stretch_a_visit(network, browser):
    reader = browser("a")
    other = browser("a", ip="198.51.100.20")
    with freeze_time(NINE) as clock:
        pid = reader.load("/")
        clock.tick(10)
        reader.heartbeat(pid, 3600)  # claims an hour 10 s after the page opened
        reader.heartbeat("zzzzzzzzzzzz", 500)  # a page load never reported
        other.heartbeat(pid, 7200)  # someone else's page id from another machine
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.visit_seconds) == (1, 15)


def test_visitors_are_told_apart_and_devices_classified(network, browser):
    with freeze_time(NINE):
        browser("a").load("/")
        browser("a", ip="198.51.100.9", ua=ANDROID).load("/")
        browser("b").load("/")
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.visitors) == (2, 2)
    devices = dict(DeviceDay.objects.filter(portal=network.portals["a"], date=DAY).values_list("device", "visits"))
    assert devices == {"desktop": 1, "mobile": 1}
    assert day_row(network.portals["b"]).visits == 1


def test_rerunning_the_rollup_never_counts_twice(network, browser):
    reader = browser("a")
    with freeze_time(NINE) as clock:
        reader.load("/")
        services.rollup_run()
        clock.tick(60)
        reader.load("/so-do-cong/")
        services.rollup_run()
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.pageviews) == (1, 2)
    assert PageDay.objects.filter(portal=network.portals["a"], date=DAY).count() == 2


@pytest.mark.parametrize("headers", [
    {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
    {"HTTP_USER_AGENT": ""},
    {"HTTP_DNT": "1"},
])
def test_robots_and_do_not_track_are_not_counted(network, browser, headers):
    reader = browser("a")
    with freeze_time(NINE):
        response = reader.beacon({"t": "p", "id": "abcdef123456", "u": f"https://{reader.host}/"}, **headers)
        services.rollup_run()
    assert response.status_code == 204
    assert not Event.objects.exists()
    assert CollectorCount.objects.get(day=DAY, name="ignored").count == 1


def test_signed_in_staff_are_not_counted(network, browser):
    reader = browser("a")
    reader.client.force_login(network.user("a", "bien_tap_vien"))
    with freeze_time(NINE):
        reader.load("/")
        services.rollup_run()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("body", "reason"), [
    ("{not json", "malformed"),
    ('["t", "p"]', "malformed"),
    ('{"t": "p", "id": "abc"}', "malformed"),  # id too short, no URL
    ('{"t": "x", "id": "abcdef123456"}', "malformed"),
    ('{"t": "h", "id": "abcdef123456", "e": -5}', "malformed"),
    ('{"t": "h", "id": "abcdef123456", "e": 10, "ip": "1.2.3.4"}', "malformed"),
    ('{"t": "p", "id": "abcdef123456", "u": "javascript:alert(1)"}', "malformed"),
    ('{"t": "p", "id": "abcdef123456", "u": "https://x/", "r": "' + "a" * 3000 + '"}', "oversized"),
])
def test_bad_beacons_get_400_and_are_counted(network, browser, body, reason):
    with freeze_time(NINE):
        response = browser("a").beacon(body)
        services.rollup_run()
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert CollectorCount.objects.get(day=DAY, name=reason).count == 1


def test_unknown_hosts_and_mismatched_pages_are_ignored(network, browser):
    from .conftest import Browser

    with freeze_time(NINE):
        stranger = Browser("khong-co.binhan.test")
        assert stranger.beacon({"t": "p", "id": "abcdef123456", "u": "https://khong-co.binhan.test/"}).status_code == 204
        reader = browser("a")
        # a page of another portal reported to this one
        other_host = network.portals["b"].site.hostname
        reader.beacon({"t": "p", "id": "abcdef123457", "u": f"https://{other_host}/"})
        # a cross-site page posting beacons here
        reader.beacon({"t": "p", "id": "abcdef123458", "u": f"https://{reader.host}/"},
                      HTTP_ORIGIN="https://evil.example")
        services.rollup_run()
    assert not Event.objects.exists()
    assert CollectorCount.objects.get(day=DAY, name="ignored").count == 3


def test_nothing_personal_is_stored_and_hashes_rotate_daily(network, browser):
    ip = "203.0.113.99"
    reader = browser("a", ip=ip)
    with freeze_time(NINE):
        reader.load("/")
    with freeze_time("2026-03-03 02:00:00+00:00"):
        reader.load("/")
    rows = list(Event.objects.values())
    assert len(rows) == 2
    for row in rows:
        text = " ".join(str(v) for v in row.values())
        assert ip not in text and "Firefox" not in text and "Mozilla" not in text
    assert rows[0]["visitor"] != rows[1]["visitor"]


def test_prune_deletes_old_events_and_past_salts_after_rolling_them_up(network, browser, settings):
    from cong.analytics.models import DailySalt

    settings.CONG_ANALYTICS_RETENTION_DAYS = 7
    reader = browser("a")
    with freeze_time(NINE):
        reader.load("/")
    with freeze_time("2026-03-20 02:00:00+00:00"):
        reader.load("/")
        deleted = services.prune()
    assert deleted == 1
    assert list(Event.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 20)]
    assert day_row(network.portals["a"]).visits == 1  # the rollup stays
    assert list(DailySalt.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 20)]


def test_no_script_pixel_counts_a_pageview(network):
    from django.test import Client

    host = network.portals["a"].site.hostname
    client = Client(HTTP_HOST=host, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)")
    with freeze_time(NINE):
        response = client.get("/-/a/n.gif", HTTP_REFERER=f"https://{host}/thong-bao/")
        ignored = client.get("/-/a/n.gif", HTTP_REFERER="https://evil.example/")
        services.rollup_run()
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert ignored.status_code == 200
    row = day_row(network.portals["a"])
    assert (row.visits, row.pageviews) == (1, 1)
    assert PageDay.objects.get(portal=network.portals["a"], date=DAY).path == "/thong-bao/"


def test_overload_drops_are_counted_not_silent(network, browser, settings):
    from cong.analytics import collector

    settings.CONG_ANALYTICS_FLUSH_SIZE = 1000
    settings.CONG_ANALYTICS_BUFFER_MAX = 2
    reader = browser("a")
    with freeze_time(NINE):
        statuses = [
            reader.beacon({"t": "p", "id": f"overload{n:04d}", "u": f"https://{reader.host}/"}).status_code
            for n in range(5)
        ]
        assert not Event.objects.exists()  # buffered, not yet written
        assert collector.buffer.flush() == 2
    assert statuses == [204, 204, 503, 503, 503]  # the client is told what was not kept
    counts = dict(CollectorCount.objects.filter(day=DAY).values_list("name", "count"))
    assert counts == {"accepted": 2, "dropped": 3}


def test_a_failed_write_keeps_the_buffer(network, browser, settings, monkeypatch):
    from cong.analytics import collector

    settings.CONG_ANALYTICS_FLUSH_SIZE = 1000
    reader = browser("a")
    with freeze_time(NINE):
        reader.load("/")
        reader.load("/lien-he/")
    original = collector.insert_rows

    def database_down(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(collector, "insert_rows", database_down)
    with pytest.raises(Exception, match="closed"):
        collector.buffer.flush()
    monkeypatch.setattr(collector, "insert_rows", original)
    assert collector.buffer.flush() == 2
    assert Event.objects.count() == 2


def test_a_flood_from_one_visitor_is_left_out(network, browser, settings):
    from cong.analytics import rollup

    settings.CONG_ANALYTICS_FLUSH_SIZE = 100
    reader, flooder = browser("a"), browser("a", ip="192.0.2.66")
    with freeze_time(NINE):
        reader.load("/")
        for _ in range(rollup.MAX_PAGEVIEWS_PER_VISITOR_DAY + 1):
            flooder.load("/")
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.pageviews, row.visitors) == (1, 1, 1)


def test_beacons_with_a_session_cookie_go_through_django_and_still_count(network, browser):
    reader = browser("a")
    reader.client.cookies["sessionid"] = "khong-con-hieu-luc"  # an expired session
    with freeze_time(NINE) as clock:
        pid = reader.load("/")
        clock.tick(20)
        reader.heartbeat(pid, 20)
        assert reader.beacon("{broken").status_code == 400
        services.rollup_run()
    row = day_row(network.portals["a"])
    assert (row.visits, row.visit_seconds) == (1, 20)
    assert CollectorCount.objects.get(day=DAY, name="malformed").count == 1


def test_a_batch_committed_late_with_lower_ids_is_still_rolled_up(network, browser):
    """Server processes commit their batches independently: an event may
    become visible after the rollup has seen higher ids."""
    from django.utils import timezone

    from cong.analytics import collector

    reader, late = browser("a"), browser("a", ip="198.51.100.77")
    with freeze_time(NINE) as clock:
        reader.load("/")
        services.rollup_run()
        first_id = Event.objects.order_by("id").values_list("id", flat=True).first()
        clock.tick(30)
        now = timezone.now()
        Event.objects.create(
            id=first_id - 1, portal_id=network.portals["a"].pk, day=DAY, ts=now, kind="p",
            visitor=collector.visitor_hash(DAY, network.portals["a"].pk, late.ip, late.ua),
            pageview="late00000001", path="/thong-bao/", device="desktop",
        )
        clock.tick(60)
        services.rollup_run()
    assert day_row(network.portals["a"]).visits == 2
