"""The working-day calendar shared by every deadline of the platform.

Vietnamese public holidays come from the ``holidays`` library (Tết, Hùng
Kings, 30/4, 1/5, National Day, and the Government's yearly swaps). The
province adds its own declarations (``CalendarDay``): extra days off, and
weekend days declared working days. Deadlines "within N working days" of the
Law on Access to Information, Decree 20/2008 (petitions) and the portal's
regulation are counted here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import holidays
from django.utils import timezone

from cong.core import cache_version

CALENDAR = "calendar"
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@lru_cache(maxsize=64)
def _national(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, weekend days that are working days) of ``year``."""
    vn = holidays.country_holidays("VN", years=[year], language="en_US")
    off = frozenset(vn.keys())
    working = set()
    for name in vn.values():
        # "Day off (substituted from 05/04/2024)": that Saturday is worked.
        for m in _SUBSTITUTED.finditer(name):
            month, day, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            working.add(dt.date(y, month, day))
    return off, frozenset(working)


_declared_cache: dict[int, tuple[int, frozenset, frozenset]] = {}


def _declared(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    from cong.core.models import CalendarDay

    version = cache_version.current(CALENDAR)
    hit = _declared_cache.get(year)
    if hit and hit[0] == version:
        return hit[1], hit[2]
    rows = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
    off = frozenset(d for d, k in rows if k == CalendarDay.Kind.DAY_OFF)
    work = frozenset(d for d, k in rows if k == CalendarDay.Kind.WORKING_DAY)
    _declared_cache[year] = (version, off, work)
    return off, work


def is_working_day(day: dt.date) -> bool:
    """True when public offices work on ``day``."""
    nat_off, nat_work = _national(day.year)
    dec_off, dec_work = _declared(day.year)
    if day in dec_work:
        return True
    if day in dec_off:
        return False
    if day in nat_work:
        return True
    if day in nat_off:
        return False
    return day.weekday() < 5


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def add_working_days(start: dt.date | dt.datetime, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself not counted).

    ``add_working_days(friday, 1)`` is the next Monday, unless that is a holiday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = _as_date(start)
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    a, b = _as_date(start), _as_date(end)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def calendar_changed() -> None:
    cache_version.bump(CALENDAR)
