"""The public side: tracker and counter on every page (cacheable markup),
the counter figures, the definitions and privacy page, EMC counted."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.test import Client
from freezegun import freeze_time

from cong.analytics import services
from cong.analytics.models import ImportedDay
from cong.units.models import PortalSettings


def client_for(network, key="a"):
    return Client(HTTP_HOST=network.portals[key].site.hostname)


def test_every_page_carries_the_tracker_and_a_counter_without_figures(network):
    client = client_for(network)
    ImportedDay.objects.create(unit=network.units["a"], date=dt.date(2024, 1, 1), visits=123457,
                               pageviews=1, visit_seconds=1)
    html = client.get("/").content.decode()
    assert re.search(r'<script src="[^"]*analytics/t\.js" defer></script>', html)
    assert '<noscript><img class="visually-hidden" src="/-/a/n.gif"' in html
    assert "data-cong-counter" in html and 'aria-labelledby="visit-counter-title"' in html
    # The figures are not in the page (it is cached): the script fetches them.
    assert "123.457" not in html and "123457" not in html
    assert 'href="/-/thong-ke/"' in html


def test_tracker_script_is_small_and_keeps_nothing_on_the_device():
    script = (Path(__file__).resolve().parents[1] / "static" / "analytics" / "t.js").read_text()
    assert len(script.encode()) < 2048
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    for forbidden in ("cookie", "localStorage", "sessionStorage", "indexedDB", "http://", "https://"):
        assert forbidden not in code
    assert "doNotTrack" in code and "visibilityState" in script


def test_counter_json_gives_online_today_and_total(network, browser):
    ImportedDay.objects.create(unit=network.units["a"], date=dt.date(2025, 12, 31), visits=1000,
                               pageviews=2000, visit_seconds=1)
    with freeze_time("2026-03-02 02:00:00+00:00"):
        browser("a").load("/")
        services.rollup_run()
        response = client_for(network).get("/-/a/dem.json")
    assert response.status_code == 200
    assert "max-age=30" in response["Cache-Control"]
    data = response.json()
    assert (data["online"], data["today"], data["total"]) == (1, 1, 1001)
    assert data["total_text"] == "1.001"
    other = client_for(network, "b").get("/-/a/dem.json").json()
    assert other["total"] == 0


def test_definitions_page_publishes_definitions_figures_and_processing(network):
    ImportedDay.objects.create(unit=network.units["a"], date=dt.date(2024, 5, 5), visits=2500,
                               pageviews=1, visit_seconds=1)
    response = client_for(network).get("/-/thong-ke/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Thống kê truy cập</h1>" in html
    assert "30 phút" in html and "không dùng cookie" in html
    assert "2.500" in html  # the figures for readers without script
    assert "EMC" not in html


def test_emc_snippet_is_counted_in_the_privacy_notice(network):
    ps = PortalSettings.for_site(network.portals["a"].site)
    ps.emc_snippet = '<script src="https://api.emc.gov.vn/tracking.js" id="emc-1"></script>'
    ps.full_clean()
    ps.save()
    from cong.core import cache_version

    cache_version.bump(cache_version.PORTALS)
    html = client_for(network).get("/-/thong-ke/").content.decode()
    assert "EMC" in html and "https://api.emc.gov.vn" in html
    home = client_for(network).get("/").content.decode()
    assert '<script src="https://api.emc.gov.vn/tracking.js"' in home
    assert "EMC" not in client_for(network, "b").get("/-/thong-ke/").content.decode()


def test_collector_endpoints_are_outside_the_page_cache():
    from cong.core.page_cache import NOT_CACHED_PREFIXES

    for path in ("/-/a/e", "/-/a/n.gif", "/-/a/dem.json", "/-/thong-ke/"):
        assert path.startswith(NOT_CACHED_PREFIXES)
