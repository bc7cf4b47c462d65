"""Turn raw events into visits and roll them up per hour and day, per page
and per portal.

Definitions (published on every portal at ``/-/thong-ke/``):

- a **pageview** is a page load the tracker (or the no-script pixel) reported;
- a **visit** is a run of one visitor's pageviews with no gap of more than
  30 minutes without activity (a pageview or an engagement heartbeat); the
  visitor hash changes at local midnight, so a visit never spans two days;
- the **length of a visit** is the sum of the time its pages were visible
  (engagement), so a visit of one page has its real length. The server bounds
  every page's engagement by the time between its pageview and its last
  heartbeat as the *server* received them (plus a few seconds of slack):
  forged heartbeats cannot stretch a visit beyond the time the page was open;
  heartbeats for a page load the visitor never reported are ignored;
- a visitor with more than 1,000 pageviews in a day is a robot or a flood
  and is left out;
- a visit is counted in the hour and day it starts; its **entry page**,
  **referrer** (host only) and **device class** are those of its first page.

Each (day, portal) touched by new events is recomputed from its raw events
by the database (window functions over each visitor's page loads, then
``INSERT … SELECT … GROUP BY`` per rollup table) and its rollup rows replaced
in one transaction, so a rerun never counts twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max

from .models import (
    DeviceDay,
    Event,
    PageDay,
    PageHour,
    PortalDay,
    PortalHour,
    ReferrerDay,
    RollupState,
)

VISIT_TIMEOUT_SECONDS = 30 * 60
ENGAGEMENT_SLACK_SECONDS = 5
# A "visitor" loading more pages than this in a day is a robot or a flood.
MAX_PAGEVIEWS_PER_VISITOR_DAY = 1000
STATE = "events"
LATE_COMMIT_MARGIN = dt.timedelta(minutes=2)
ROLLUP_MODELS = (PortalDay, PortalHour, PageDay, PageHour, ReferrerDay, DeviceDay)
PAGES = "cong_rollup_pages"  # temporary tables of one (day, portal)
VISITS = "cong_rollup_visits"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _vendor_sql(tz) -> tuple[dict, list]:
    """SQL fragments that differ between PostgreSQL and SQLite: whole
    seconds between two timestamps, the local hour of a timestamp (with its
    parameter), the larger and smaller of two numbers, and the collation of
    sort keys (bytewise on PostgreSQL: the hashes need no language rules,
    and a sort by them is several times faster)."""
    if connection.vendor == "postgresql":
        return {
            "c": ' COLLATE "C"',
            "seconds": "CAST(TRUNC(EXTRACT(EPOCH FROM ({a} - {b}))) AS BIGINT)",
            "gap": "EXTRACT(EPOCH FROM ({a} - {b}))",
            "hour": "CAST(EXTRACT(HOUR FROM ts AT TIME ZONE %s) AS INTEGER)",
            "greatest": "GREATEST", "least": "LEAST",
        }, [str(tz)]
    # SQLite keeps timestamps as UTC text; Vietnam has had one offset since
    # 1975, so the offset of the day gives the local hour.
    return {
        "c": "",
        "seconds": "CAST(ROUND((julianday({a}) - julianday({b})) * 86400.0, 3) AS INTEGER)",
        "gap": "ROUND((julianday({a}) - julianday({b})) * 86400.0, 3)",
        "hour": "CAST(strftime('%%H', ts, %s) AS INTEGER)",
        "greatest": "MAX", "least": "MIN",
    }, []


def _pages_sql(tz, day: dt.date) -> tuple[str, list]:
    """The page loads of one (day, portal) with their bounded engagement,
    local hour, whether they start a visit, and the visit's number for the
    visitor — one pass of window functions over the visitor's page loads in
    time order.

    The events of a page load (its pageview and heartbeats) fold into one
    row: highest claimed time, last heartbeat; heartbeats of a page load the
    visitor never reported have no pageview time and are left out. A page's
    engagement is bounded by the time from its pageview to its last heartbeat
    (plus slack). A page starts a visit when more than 30 minutes passed
    since the latest activity (pageview or heartbeat) of the visitor's
    earlier pages."""
    f, hour_params = _vendor_sql(tz)
    if not hour_params:
        offset = int(tz.utcoffset(dt.datetime.combine(day, dt.time(12))).total_seconds())
        hour_params = [f"{offset:+d} seconds"]
    seconds = f["seconds"].format(a="last_hb", b="ts")
    gap = f["gap"].format(a="ts", b="prev_end")
    window = f"PARTITION BY visitor{f['c']} ORDER BY ts, pageview{f['c']}"
    sql = f"""
        CREATE TEMPORARY TABLE {PAGES} AS
        WITH loads AS (
            SELECT visitor, pageview,
                MIN(CASE WHEN kind = 'p' THEN ts END) AS ts,
                MAX(CASE WHEN kind = 'p' THEN path END) AS path,
                MAX(CASE WHEN kind = 'p' THEN referrer END) AS referrer,
                MAX(CASE WHEN kind = 'p' THEN device END) AS device,
                MAX(CASE WHEN kind = 'h' THEN engaged ELSE 0 END) AS claimed,
                MAX(CASE WHEN kind = 'h' THEN ts END) AS last_hb
            FROM {_table(Event)} WHERE day = %s AND portal_id = %s
            GROUP BY visitor, pageview
        ), pages AS (
            SELECT visitor, pageview, ts, path, referrer, device,
                CASE WHEN last_hb IS NULL THEN 0
                     ELSE {f["greatest"]}(0, {f["least"]}(claimed, {seconds} + {ENGAGEMENT_SLACK_SECONDS})) END
                    AS seconds,
                CASE WHEN last_hb > ts THEN last_hb ELSE ts END AS end_ts,
                COUNT(*) OVER ({window} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
            FROM loads WHERE ts IS NOT NULL
        ), gaps AS (
            SELECT visitor, pageview, ts, path, referrer, device, seconds,
                MAX(end_ts) OVER ({window} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
            FROM pages WHERE n <= {MAX_PAGEVIEWS_PER_VISITOR_DAY}
        ), starts AS (
            SELECT visitor, pageview, ts, path, referrer, device, seconds,
                CASE WHEN prev_end IS NULL OR {gap} > {VISIT_TIMEOUT_SECONDS} THEN 1 ELSE 0 END AS starts
            FROM gaps
        )
        SELECT visitor, path, referrer, device, seconds, starts, {f["hour"]} AS hour,
            SUM(starts) OVER ({window} ROWS UNBOUNDED PRECEDING) AS visit
        FROM starts
    """  # noqa: S608 - names are ours, values are parameters
    return sql, [connection.ops.adapt_datefield_value(day), None, *hour_params]


# Each rollup table from the temporary tables (portal id and date are the
# two parameters). A visitor is counted by their first visit (no DISTINCT).
_INSERTS = (
    (PortalDay, ("visits", "pageviews", "visit_seconds", "visitors", "bounces"),
     "SELECT %s, %s, COUNT(*), SUM(pages), SUM(seconds), SUM(CASE WHEN visit = 1 THEN 1 ELSE 0 END), "
     "SUM(CASE WHEN pages = 1 THEN 1 ELSE 0 END) FROM cong_rollup_visits HAVING COUNT(*) > 0"),
    (PortalHour, ("hour", "visits", "pageviews", "visit_seconds"),
     "SELECT %s, %s, hour, SUM(v), SUM(p), SUM(s) FROM ("
     "SELECT hour, COUNT(*) AS v, 0 AS p, SUM(seconds) AS s FROM cong_rollup_visits GROUP BY hour "
     "UNION ALL SELECT hour, 0, COUNT(*), 0 FROM cong_rollup_pages GROUP BY hour) x GROUP BY hour"),
    (PageDay, ("path", "pageviews", "entries", "engaged_seconds"),
     "SELECT %s, %s, path, COUNT(*), SUM(starts), SUM(seconds) FROM cong_rollup_pages GROUP BY path"),
    (PageHour, ("hour", "path", "pageviews"),
     "SELECT %s, %s, hour, path, COUNT(*) FROM cong_rollup_pages GROUP BY hour, path"),
    (ReferrerDay, ("host", "visits"),
     "SELECT %s, %s, COALESCE(referrer, ''), COUNT(*) FROM cong_rollup_visits GROUP BY COALESCE(referrer, '')"),
    (DeviceDay, ("device", "visits"),
     "SELECT %s, %s, COALESCE(NULLIF(device, ''), 'desktop'), COUNT(*) FROM cong_rollup_visits "
     "GROUP BY COALESCE(NULLIF(device, ''), 'desktop')"),
)


def rollup_day(portal_id: int, day: dt.date, tz) -> None:
    """Replace the rollup rows of one portal's day with figures computed by
    the database from its raw events, in one transaction (set-based SQL:
    temporary tables of page loads and visits, then one INSERT … SELECT …
    GROUP BY per rollup table)."""
    d = connection.ops.adapt_datefield_value(day)
    pages_sql, params = _pages_sql(tz, day)
    params[1] = portal_id
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
        for model in ROLLUP_MODELS:
            cursor.execute(f"DELETE FROM {_table(model)} WHERE portal_id = %s AND date = %s", [portal_id, d])  # noqa: S608
        cursor.execute(f"DROP TABLE IF EXISTS {VISITS}")
        cursor.execute(f"DROP TABLE IF EXISTS {PAGES}")
        cursor.execute(pages_sql, params)
        cursor.execute(f"""
            CREATE TEMPORARY TABLE {VISITS} AS
            SELECT visitor, visit, COUNT(*) AS pages, SUM(seconds) AS seconds,
                MAX(CASE WHEN starts = 1 THEN referrer END) AS referrer,
                MAX(CASE WHEN starts = 1 THEN device END) AS device,
                MAX(CASE WHEN starts = 1 THEN hour END) AS hour
            FROM {PAGES} GROUP BY visitor, visit
        """)  # noqa: S608
        for model, columns, select in _INSERTS:
            names = ", ".join(_q(model._meta.get_field(c).column) for c in ("portal", "date", *columns))
            cursor.execute(f"INSERT INTO {_table(model)} ({names}) {select}", [portal_id, d])
        cursor.execute(f"DROP TABLE {VISITS}")
        cursor.execute(f"DROP TABLE {PAGES}")


def rollup_pending() -> list[tuple[dt.date, int]]:
    """Recompute every (day, portal) that received events since the last run;
    return them.

    New events are those with a higher id than the last run saw, and — since
    server processes commit their batches in their own transactions, so ids
    need not become visible in order — those received in the two minutes
    before the last run started."""
    from django.utils import timezone

    from cong.units.models import Portal

    from .collector import LOCAL_TZ

    started = timezone.now()
    state, _ = RollupState.objects.get_or_create(name=STATE)
    last = Event.objects.aggregate(m=Max("id"))["m"] or 0
    pairs = set(
        Event.objects.filter(id__gt=state.last_event_id, id__lte=last).values_list("day", "portal_id").distinct()
    )
    if state.last_started_at is not None:
        pairs |= set(
            Event.objects.filter(ts__gte=state.last_started_at - LATE_COMMIT_MARGIN)
            .values_list("day", "portal_id").distinct()
        )
    existing = set(Portal.objects.filter(pk__in={p for _, p in pairs}).values_list("pk", flat=True))
    touched = sorted((day, portal_id) for day, portal_id in pairs if portal_id in existing)
    for day, portal_id in touched:
        rollup_day(portal_id, day, LOCAL_TZ)
    RollupState.objects.filter(pk=state.pk).update(last_event_id=last, last_started_at=started)
    return touched
