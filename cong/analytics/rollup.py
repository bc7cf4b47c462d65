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
and its rollup rows replaced in one transaction, so a rerun never counts
twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

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


@dataclass
class DayFigures:
    visits: int = 0
    pageviews: int = 0
    visit_seconds: int = 0
    bounces: int = 0
    visitors: int = 0
    flooders: int = 0  # visitor-days left out as robots
    hours: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # visits, pvs, secs
    pages: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # pvs, entries, secs
    page_hours: Counter = field(default_factory=Counter)
    referrers: Counter = field(default_factory=Counter)
    devices: Counter = field(default_factory=Counter)


def _hour(ts: dt.datetime, tz) -> int:
    return ts.astimezone(tz).hour


def visits_of(pages: list[list], tz=None) -> list[dict]:
    """Visits of one visitor on one day from their page loads.

    ``pages``: [pageview time, path, referrer, device, claimed seconds (the
    highest heartbeat), last heartbeat time or None], any order.
    """
    visits: list[dict] = []
    current = None
    for ts, path, referrer, device, claimed, last_hb in sorted(pages, key=lambda p: p[0]):
        seconds = 0
        if last_hb is not None:
            open_for = int((last_hb - ts).total_seconds()) + ENGAGEMENT_SLACK_SECONDS
            seconds = max(0, min(claimed or 0, open_for))
        end = last_hb if last_hb is not None and last_hb > ts else ts
        if current is None or (ts - current["last"]).total_seconds() > VISIT_TIMEOUT_SECONDS:
            current = {"start": ts, "last": end, "entry": path, "referrer": referrer,
                       "device": device, "pages": [], "seconds": 0}
            visits.append(current)
        current["last"] = max(current["last"], end)
        current["pages"].append((ts, path, seconds))
        current["seconds"] += seconds
    return visits


def compute_day(portal_id: int, day: dt.date, tz) -> DayFigures:
    """The figures of one portal's day from its raw events.

    The database folds each page load's heartbeats into one row (highest
    claimed time, last heartbeat); heartbeats of a page load the visitor
    never reported have no pageview time and are left out."""
    figures = DayFigures()
    table = connection.ops.quote_name(Event._meta.db_table)
    sql = (
        "SELECT visitor, "  # noqa: S608
        "MIN(CASE WHEN kind = 'p' THEN ts END), MAX(CASE WHEN kind = 'p' THEN path END), "
        "MAX(CASE WHEN kind = 'p' THEN referrer END), MAX(CASE WHEN kind = 'p' THEN device END), "
        "MAX(CASE WHEN kind = 'h' THEN engaged ELSE 0 END), MAX(CASE WHEN kind = 'h' THEN ts END) "
        f"FROM {table} WHERE day = %s AND portal_id = %s GROUP BY visitor, pageview ORDER BY visitor"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day), portal_id])
        visitor, pages = None, []
        while True:
            chunk = cursor.fetchmany(5000)
            for row in chunk:
                if row[0] != visitor:
                    if pages:
                        _add_visitor(figures, pages, tz)
                    visitor, pages = row[0], []
                if row[1] is not None:
                    pages.append([_ts(row[1]), row[2], row[3], row[4], row[5],
                                  _ts(row[6]) if row[6] is not None else None])
            if not chunk:
                break
        if pages:
            _add_visitor(figures, pages, tz)
    return figures


def _ts(value):
    if isinstance(value, str):  # SQLite: an aggregate is not converted
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _add_visitor(figures: DayFigures, pages: list[list], tz) -> None:
    if len(pages) > MAX_PAGEVIEWS_PER_VISITOR_DAY:
        figures.flooders += 1
        return
    visits = visits_of(pages)
    if not visits:
        return
    figures.visitors += 1
    for visit in visits:
        n = len(visit["pages"])
        figures.visits += 1
        figures.pageviews += n
        figures.visit_seconds += visit["seconds"]
        if n == 1:
            figures.bounces += 1
        hour = figures.hours[_hour(visit["start"], tz)]
        hour[0] += 1
        hour[2] += visit["seconds"]
        figures.referrers[visit["referrer"]] += 1
        figures.devices[visit["device"] or "desktop"] += 1
        figures.pages[visit["entry"]][1] += 1
        for ts, path, seconds in visit["pages"]:
            h = _hour(ts, tz)
            figures.hours[h][1] += 1
            page = figures.pages[path]
            page[0] += 1
            page[2] += seconds
            figures.page_hours[(h, path)] += 1


def _insert(cursor, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


ROLLUP_MODELS = (PortalDay, PortalHour, PageDay, PageHour, ReferrerDay, DeviceDay)


@transaction.atomic
def store_day(portal_id: int, day: dt.date, figures: DayFigures) -> None:
    """Replace the rollup rows of one portal's day (plain multi-row SQL: a
    busy day has tens of thousands of page-hour rows)."""
    d = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        for model in ROLLUP_MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE portal_id = %s AND date = %s", [portal_id, d])  # noqa: S608
        if not figures.visits:
            return
        _insert(cursor, PortalDay, ("portal", "date", "visits", "pageviews", "visit_seconds", "visitors", "bounces"),
                [(portal_id, d, figures.visits, figures.pageviews, figures.visit_seconds, figures.visitors,
                  figures.bounces)])
        _insert(cursor, PortalHour, ("portal", "date", "hour", "visits", "pageviews", "visit_seconds"),
                [(portal_id, d, h, v[0], v[1], v[2]) for h, v in sorted(figures.hours.items())])
        _insert(cursor, PageDay, ("portal", "date", "path", "pageviews", "entries", "engaged_seconds"),
                [(portal_id, d, path, v[0], v[1], v[2]) for path, v in figures.pages.items()])
        _insert(cursor, PageHour, ("portal", "date", "hour", "path", "pageviews"),
                [(portal_id, d, h, path, n) for (h, path), n in figures.page_hours.items()])
        _insert(cursor, ReferrerDay, ("portal", "date", "host", "visits"),
                [(portal_id, d, host, n) for host, n in figures.referrers.items()])
        _insert(cursor, DeviceDay, ("portal", "date", "device", "visits"),
                [(portal_id, d, device, n) for device, n in figures.devices.items()])


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
        store_day(portal_id, day, compute_day(portal_id, day, LOCAL_TZ))
    RollupState.objects.filter(pk=state.pk).update(last_event_id=last, last_started_at=started)
    return touched
