"""Writes for targets and reports."""

from __future__ import annotations

from django.db import transaction

from cong.core.errors import ApplicationError

from .models import AnnualTarget


@transaction.atomic
def target_set(*, unit, year: int, items: int, category: str = "") -> AnnualTarget:
    """Set (create or replace) a unit's annual target."""
    if items < 0:
        raise ApplicationError("Chỉ tiêu không thể âm.", field="items")
    if not 2000 <= year <= 2100:
        raise ApplicationError(f"Năm {year} không hợp lệ.", field="year")
    target, _ = AnnualTarget.objects.update_or_create(
        unit=unit, year=year, category=category or "", defaults={"items": items}
    )
    return target
