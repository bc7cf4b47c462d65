"""Reads for targets, progress and reports."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from cong.content.selectors import items_counts

from .models import AnnualTarget


@dataclass(frozen=True)
class TargetProgress:
    unit_name: str
    year: int
    target: int | None
    published: int
    share_of_target: float | None  # 0..1+
    share_of_year: float  # 0..1
    needed_per_day: float | None  # items a day to reach the target from tomorrow

    @property
    def on_pace(self) -> bool | None:
        if self.share_of_target is None:
            return None
        return self.share_of_target >= self.share_of_year


def target_for(*, unit, year: int, category: str = "") -> AnnualTarget | None:
    return AnnualTarget.objects.filter(unit=unit, year=year, category=category).first()


def target_progress(*, unit, today: dt.date) -> TargetProgress:
    """Items published this year against the year's target, and the pace needed."""
    year = today.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    published = items_counts(unit=unit, start=start, end=today)["total"]
    target = target_for(unit=unit, year=year)
    days_in_year = (end - start).days + 1
    elapsed = (today - start).days + 1
    remaining_days = days_in_year - elapsed
    goal = target.items if target else None
    return TargetProgress(
        unit_name=unit.name,
        year=year,
        target=goal,
        published=published,
        share_of_target=(published / goal) if goal else None,
        share_of_year=elapsed / days_in_year,
        needed_per_day=(
            math.ceil(max(goal - published, 0) / remaining_days * 10) / 10
            if goal and remaining_days > 0 else None
        ),
    )


def request_status(*, request, today: dt.date) -> list[dict]:
    """For each unit asked: submitted (when), or late, or still in time."""
    from .models import ReportSubmission

    submitted = {
        s.unit_id: s for s in ReportSubmission.objects.filter(
            request=request, status=ReportSubmission.Status.SUBMITTED
        )
    }
    rows = []
    for unit in request.units.order_by("unit_type", "name"):
        sub = submitted.get(unit.pk)
        late = sub is None and today > request.deadline
        late_submitted = sub is not None and sub.submitted_at.date() > request.deadline
        rows.append({"unit": unit, "submission": sub, "late": late or late_submitted,
                     "state": "submitted" if sub else ("late" if late else "waiting")})
    return rows
