"""Reads of traffic figures. Reports, counters and dashboards read rollups
(and imported days) only, never raw events — except "đang truy cập", which
is by nature the last minutes of the raw log (an index range, cached).

A day's figure for a unit is its imported ``visits_daily`` figure where one
exists, else its portal's own tracking: a day is never counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from cong.units.models import Portal, Unit

from .collector import local_day
from .models import DeviceDay, Event, ImportedDay, PageDay, PortalDay, ReferrerDay

ONLINE_WINDOW_SECONDS = 5 * 60


def _figures(visits: int, pageviews: int, seconds: int) -> dict:
    return {
        "visits": int(visits),
        "pageviews": int(pageviews),
        "visit_seconds": int(seconds),
        "average_visit_seconds": (seconds / visits) if visits else 0.0,
    }


def _range(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def _tracked_days(unit_ids: Iterable[int] | None):
    """Tracked day rows whose (unit, date) has no imported figure."""
    imported = ImportedDay.objects.filter(unit_id=OuterRef("portal__unit_id"), date=OuterRef("date"))
    qs = PortalDay.objects.filter(~Exists(imported))
    if unit_ids is not None:
        qs = qs.filter(portal__unit_id__in=list(unit_ids))
    return qs


def traffic_for(unit_ids: Iterable[int] | None, start: dt.date | None, end: dt.date | None) -> dict:
    """Figures summed over units (None: every unit), imported days first."""
    keys = {"v": Sum("visits"), "p": Sum("pageviews"), "s": Sum("visit_seconds")}
    imported = ImportedDay.objects.filter(_range("date", start, end))
    if unit_ids is not None:
        imported = imported.filter(unit_id__in=list(unit_ids))
    a = imported.aggregate(**keys)
    b = _tracked_days(unit_ids).filter(_range("date", start, end)).aggregate(**keys)
    return _figures(
        (a["v"] or 0) + (b["v"] or 0), (a["p"] or 0) + (b["p"] or 0), (a["s"] or 0) + (b["s"] or 0)
    )


def traffic(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Visits, pageviews, total and average visit length of the unit's portal
    over ``start``..``end`` (inclusive, local days)."""
    return traffic_for([unit.pk], start, end)


def visits_since_launch(unit: Unit, until: dt.date) -> int:
    """Visits of the unit's portal from its first recorded day to ``until``."""
    return traffic_for([unit.pk], None, until)["visits"]


def first_recorded_day(unit: Unit) -> dt.date | None:
    """The first day with a figure for the unit's portal, imported or tracked
    (the start of "lũy kế từ năm …" in reports)."""
    dates = [
        ImportedDay.objects.filter(unit=unit, visits__gt=0).order_by("date").values_list("date", flat=True).first(),
        PortalDay.objects.filter(portal__unit=unit, visits__gt=0).order_by("date").values_list("date", flat=True).first(),
    ]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def network_traffic(start: dt.date | None, end: dt.date | None, units: Iterable[Unit] | None = None) -> dict:
    """The same figures summed over ``units`` (default: every unit)."""
    ids = None if units is None else [u.pk for u in units]
    return traffic_for(ids, start, end)


def daily_series(unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[dict]:
    """One row per day of the period: visits, pageviews, seconds, average,
    and where the figure came from (imported, tracked)."""
    rows: dict[dt.date, dict] = {}
    day = start
    while day <= end:
        rows[day] = {"date": day, "visits": 0, "pageviews": 0, "visit_seconds": 0, "imported": False}
        day += dt.timedelta(days=1)
    imported = ImportedDay.objects.filter(date__range=(start, end))
    tracked = _tracked_days(unit_ids).filter(date__range=(start, end))
    if unit_ids is not None:
        imported = imported.filter(unit_id__in=unit_ids)
    for qs, is_imported in ((imported, True), (tracked, False)):
        for r in qs.values("date").annotate(v=Sum("visits"), p=Sum("pageviews"), s=Sum("visit_seconds")):
            row = rows[r["date"]]
            row["visits"] += r["v"]
            row["pageviews"] += r["p"]
            row["visit_seconds"] += r["s"]
            row["imported"] = row["imported"] or is_imported
    for row in rows.values():
        row["average_visit_seconds"] = row["visit_seconds"] / row["visits"] if row["visits"] else 0.0
    return list(rows.values())


def _portal_filter(portal_ids: list[int] | None, start, end) -> Q:
    q = Q(date__range=(start, end))
    if portal_ids is not None:
        q &= Q(portal_id__in=portal_ids)
    return q


def top_pages(portal_ids: list[int] | None, start, end, limit: int = 20) -> list[dict]:
    return list(
        PageDay.objects.filter(_portal_filter(portal_ids, start, end))
        .values("portal__site__hostname", "path")
        .annotate(pageviews=Sum("pageviews"), entries=Sum("entries"), seconds=Sum("engaged_seconds"))
        .order_by("-pageviews", "path")[:limit]
    )


def top_referrers(portal_ids: list[int] | None, start, end, limit: int = 20) -> list[dict]:
    return list(
        ReferrerDay.objects.filter(_portal_filter(portal_ids, start, end))
        .values("host").annotate(visits=Sum("visits")).order_by("-visits", "host")[:limit]
    )


def devices(portal_ids: list[int] | None, start, end) -> list[dict]:
    return list(
        DeviceDay.objects.filter(_portal_filter(portal_ids, start, end))
        .values("device").annotate(visits=Sum("visits")).order_by("-visits")
    )


def visitors_total(portal_ids: list[int] | None, start, end) -> int:
    """Sum of daily visitors (a visitor is only known within one day)."""
    return PortalDay.objects.filter(_portal_filter(portal_ids, start, end)).aggregate(
        n=Sum("visitors"))["n"] or 0


def online_now(portal: Portal) -> int:
    since = timezone.now() - dt.timedelta(seconds=ONLINE_WINDOW_SECONDS)
    return Event.objects.filter(portal_id=portal.pk, ts__gte=since).values("visitor").distinct().count()


def counter_figures(portal: Portal) -> dict:
    """The public counter: đang truy cập, hôm nay, tổng lượt truy cập.
    Cached for 30 seconds per portal."""
    key = f"analytics:counter:{portal.pk}"
    figures = cache.get(key)
    if figures is None:
        today = local_day(timezone.now())
        figures = {
            "online": online_now(portal),
            "today": traffic(portal.unit, today, today)["visits"],
            "total": visits_since_launch(portal.unit, today),
        }
        cache.set(key, figures, 30)
    return figures


def traffic_by_unit(start: dt.date, end: dt.date, unit_ids: list[int] | None = None) -> list[dict]:
    """Per unit with a portal: visits, pageviews, seconds and average over the
    period (imported days first), largest first."""
    keys = {"v": Sum("visits"), "p": Sum("pageviews"), "s": Sum("visit_seconds")}
    totals: dict[int, list[int]] = {}
    imported = ImportedDay.objects.filter(date__range=(start, end))
    tracked = _tracked_days(unit_ids).filter(date__range=(start, end))
    if unit_ids is not None:
        imported = imported.filter(unit_id__in=unit_ids)
    for r in imported.values("unit_id").annotate(**keys):
        totals.setdefault(r["unit_id"], [0, 0, 0])
        totals[r["unit_id"]] = [a + b for a, b in zip(totals[r["unit_id"]], (r["v"], r["p"], r["s"]), strict=True)]
    for r in tracked.values("portal__unit_id").annotate(**keys):
        uid = r["portal__unit_id"]
        totals.setdefault(uid, [0, 0, 0])
        totals[uid] = [a + b for a, b in zip(totals[uid], (r["v"], r["p"], r["s"]), strict=True)]
    units = Unit.objects.filter(portal__isnull=False)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    rows = [{"unit": unit, **_figures(*totals.get(unit.pk, (0, 0, 0)))} for unit in units]
    rows.sort(key=lambda row: (-row["visits"], row["unit"].name))
    return rows
