"""Writes of the analytics app: imported history, rollups, pruning."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cong.core.errors import ApplicationError
from cong.units.models import Unit

from . import collector, rollup
from .models import DailySalt, Event, ImportedDay

ROLLUP_LEASE = "analytics:rollup"


@transaction.atomic
def imported_day_set(
    *, unit: Unit, date: dt.date, visits: int, pageviews: int, visit_seconds: int,
    source_id: str = "", instance: ImportedDay | None = None,
) -> ImportedDay:
    """Record (or correct) one day of traffic brought from an old portal."""
    if min(visits, pageviews, visit_seconds) < 0:
        raise ApplicationError("Số liệu truy cập không được âm.", field="visits")
    clash = ImportedDay.objects.filter(unit=unit, date=date)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    other = clash.first()
    if other is not None:
        if source_id and other.source_id and other.source_id != source_id:
            raise ApplicationError(
                f"{unit.name} đã có số liệu ngày {date.isoformat()} (bản ghi '{other.source_id}').",
                field="date",
            )
        instance = other
    if instance is None:
        instance = ImportedDay(unit=unit, date=date)
    instance.unit, instance.date = unit, date
    instance.visits, instance.pageviews, instance.visit_seconds = visits, pageviews, visit_seconds
    instance.source_id = source_id or instance.source_id
    instance.save()
    return instance


def rollup_run() -> int:
    """Write this process's buffered beacons, then roll up what is new;
    return the number of (day, portal) pairs recomputed."""
    from cong.core.models import Lease
    from cong.core.scheduler import holder_id, lease_acquire

    collector.buffer.flush()
    holder = holder_id()
    if not lease_acquire(ROLLUP_LEASE, 3600, holder):
        return 0  # another rollup is running; it will see these events
    try:
        return len(rollup.rollup_pending())
    finally:
        Lease.objects.filter(name=ROLLUP_LEASE, holder=holder).update(expires_at=timezone.now())


def prune(today: dt.date | None = None) -> int:
    """Delete raw events older than the retention setting (their days are
    rolled up) and the salts of past days; return the events deleted."""
    today = today or collector.local_day(timezone.now())
    rollup_run()
    keep_from = today - dt.timedelta(days=collector.setting("RETENTION_DAYS", 35))
    deleted = 0
    while True:
        ids = list(Event.objects.filter(day__lt=keep_from).values_list("id", flat=True)[:10000])
        if not ids:
            break
        deleted += Event.objects.filter(id__in=ids).delete()[0]
    # Yesterday's salt is kept until today ends; older ones are gone for good.
    DailySalt.objects.filter(day__lt=today - dt.timedelta(days=1)).delete()
    return deleted
