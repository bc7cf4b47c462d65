"""The ``visits_daily`` kind and the reporting contract: imported and
tracked days combine, a day never counted twice."""

from __future__ import annotations

import datetime as dt
import json

from freezegun import freeze_time

from cong.analytics import selectors, services
from cong.analytics.models import ImportedDay, PortalDay
from cong.core.records import Importer


def run(lines, **kw):
    return Importer(**kw).run([json.dumps(line) for line in lines])


def visits_daily(rid, unit, date, visits, pageviews, seconds):
    return {"kind": "visits_daily", "id": rid, "unit": unit, "date": date,
            "visits": visits, "pageviews": pageviews, "visit_seconds": seconds}


def test_visits_daily_imports_idempotently_and_updates(network):
    lines = [visits_daily("v1", "so-a", "2025-01-01", 120, 300, 36000),
             visits_daily("v2", "so-a", "2025-01-02", 80, 200, 24000)]
    result = run(lines)
    assert result.ok and result.counts["visits_daily"]["created"] == 2
    again = run(lines)
    assert again.counts["visits_daily"]["unchanged"] == 2
    changed = run([visits_daily("v1", "so-a", "2025-01-01", 125, 300, 36000)])
    assert changed.counts["visits_daily"]["updated"] == 1
    assert ImportedDay.objects.filter(unit=network.units["a"]).count() == 2
    assert ImportedDay.objects.get(unit=network.units["a"], date=dt.date(2025, 1, 1)).visits == 125


def test_visits_daily_refuses_bad_lines_all_or_nothing(network):
    result = run([
        visits_daily("ok", "so-a", "2025-02-01", 1, 1, 1),
        visits_daily("neg", "so-a", "2025-02-02", -1, 1, 1),
        {**visits_daily("typo", "so-a", "2025-02-03", 1, 1, 1), "visitors": 3},
        visits_daily("nounit", "khong-co", "2025-02-04", 1, 1, 1),
        visits_daily("baddate", "so-a", "2025-02-30", 1, 1, 1),
        visits_daily("dup-day", "so-a", "2025-02-01", 9, 9, 9),
    ])
    fields = {(e.line, e.field) for e in result.errors}
    assert {(2, "visits"), (3, "visitors"), (4, "unit"), (5, "date"), (6, "date")} <= fields
    assert not ImportedDay.objects.exists()


def tracked(portal, date, visits, pageviews, seconds):
    PortalDay.objects.create(portal=portal, date=date, visits=visits, pageviews=pageviews,
                             visit_seconds=seconds, visitors=visits)


def test_imported_day_wins_over_tracking_and_days_are_never_counted_twice(network):
    unit, portal = network.units["a"], network.portals["a"]
    run([visits_daily("h1", "so-a", "2025-03-01", 100, 250, 30000),
         visits_daily("h2", "so-a", "2025-03-02", 50, 100, 10000)])
    tracked(portal, dt.date(2025, 3, 2), 7, 9, 700)  # overlaps the import: ignored
    tracked(portal, dt.date(2025, 3, 3), 10, 30, 2000)
    tracked(network.portals["b"], dt.date(2025, 3, 3), 999, 999, 999)  # another portal
    figures = selectors.traffic(unit, dt.date(2025, 3, 1), dt.date(2025, 3, 3))
    assert figures == {"visits": 160, "pageviews": 380, "visit_seconds": 42000,
                       "average_visit_seconds": 42000 / 160}
    assert selectors.traffic(unit, dt.date(2025, 3, 2), dt.date(2025, 3, 2))["visits"] == 50
    assert selectors.traffic(unit, dt.date(2025, 3, 4), dt.date(2025, 3, 9)) == {
        "visits": 0, "pageviews": 0, "visit_seconds": 0, "average_visit_seconds": 0.0}
    assert selectors.visits_since_launch(unit, dt.date(2025, 3, 2)) == 150
    assert selectors.visits_since_launch(unit, dt.date(2025, 12, 31)) == 160
    series = selectors.daily_series([unit.pk], dt.date(2025, 3, 1), dt.date(2025, 3, 3))
    assert [(r["visits"], r["imported"]) for r in series] == [(100, True), (50, True), (10, False)]


def test_network_figures_sum_every_portal(network):
    tracked(network.portals["a"], dt.date(2025, 4, 1), 10, 20, 600)
    tracked(network.portals["b"], dt.date(2025, 4, 1), 5, 5, 300)
    run([visits_daily("p1", "tinh", "2025-04-01", 1000, 3000, 350000)])
    tracked(network.portals["province"], dt.date(2025, 4, 1), 1, 1, 1)  # overridden by the import
    figures = selectors.network_traffic(dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert (figures["visits"], figures["pageviews"], figures["visit_seconds"]) == (1015, 3025, 350900)
    some = selectors.network_traffic(dt.date(2025, 4, 1), dt.date(2025, 4, 1),
                                     units=[network.units["a"], network.units["b"]])
    assert some["visits"] == 15


def test_tracked_beacons_and_history_combine_in_the_counter(network, browser):
    run([visits_daily("old", "so-a", "2026-03-01", 40, 80, 4000)])
    with freeze_time("2026-03-02 02:00:00+00:00"):
        browser("a").load("/")
        browser("a", ip="198.51.100.1").load("/")
        services.rollup_run()
        figures = selectors.counter_figures(network.portals["a"])
    assert figures == {"online": 2, "today": 2, "total": 42}


def test_imported_day_service_refuses_a_second_record_for_the_same_day(network):
    import pytest

    from cong.core.errors import ApplicationError

    unit = network.units["a"]
    services.imported_day_set(unit=unit, date=dt.date(2025, 5, 1), visits=1, pageviews=1,
                              visit_seconds=1, source_id="x")
    with pytest.raises(ApplicationError):
        services.imported_day_set(unit=unit, date=dt.date(2025, 5, 1), visits=2, pageviews=2,
                                  visit_seconds=2, source_id="y")


def test_first_recorded_day_is_the_earliest_imported_or_tracked_day(network):
    unit = network.units["a"]
    assert selectors.first_recorded_day(unit) is None
    PortalDay.objects.create(portal=network.portals["a"], date=dt.date(2025, 3, 1), visits=5)
    assert selectors.first_recorded_day(unit) == dt.date(2025, 3, 1)
    run([visits_daily("v-old", "so-a", "2017-01-01", 7, 9, 700)])
    assert selectors.first_recorded_day(unit) == dt.date(2017, 1, 1)
    assert selectors.first_recorded_day(network.units["b"]) is None
