"""Writes for targets and reports."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cong.core.errors import ApplicationError

from .figures import report_figures
from .models import AnnualTarget, ReportKind, ReportRequest, ReportSubmission
from .periods import period_for


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


@transaction.atomic
def submission_prepare(*, unit, kind: str, year: int, quarter: int | None, until: dt.date | None = None,
                       request: ReportRequest | None = None, today: dt.date | None = None,
                       actor=None) -> ReportSubmission:
    """Create or refresh a unit's draft report with figures from its data."""
    today = today or timezone.localdate()
    if kind == ReportKind.ADHOC and request is not None:
        until = until or request.period_end
    period = period_for(kind=kind, year=year, quarter=quarter, until=until, today=today,
                        start=request.period_start if request is not None else None)
    submission = ReportSubmission.objects.filter(
        unit=unit, kind=kind, year=year, quarter=period.quarter, request=request,
    ).first()
    if submission is not None and submission.status == ReportSubmission.Status.SUBMITTED:
        raise ApplicationError("Báo cáo đã gửi; không sửa được số liệu.", field="status")
    figures = report_figures(unit=unit, period=period, today=today)
    if submission is None:
        submission = ReportSubmission(unit=unit, kind=kind, year=year, quarter=period.quarter, request=request)
    submission.until = period.until
    submission.figures = figures
    submission.save()
    log(submission, "wagtail.edit", user=actor)
    return submission


@transaction.atomic
def submission_submit(*, submission: ReportSubmission, narrative: str, actor) -> ReportSubmission:
    """Send a unit's report up to the province board (no changes afterwards)."""
    if submission.status == ReportSubmission.Status.SUBMITTED:
        raise ApplicationError("Báo cáo này đã được gửi.", field="status")
    submission.narrative = narrative.strip()
    submission.status = ReportSubmission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor
    submission.save()
    log(submission, "cong.report.submit", user=actor)
    return submission


@transaction.atomic
def report_request_create(*, requested_by, kind: str, year: int, quarter: int | None, title: str,
                          deadline: dt.date, units, note: str = "", period_start: dt.date | None = None,
                          period_end: dt.date | None = None, actor=None) -> ReportRequest:
    """Ask chosen units for a report by a deadline."""
    if kind == ReportKind.QUARTERLY and quarter not in (1, 2, 3, 4):
        raise ApplicationError("Báo cáo quý cần chọn quý 1–4.", field="quarter")
    if kind == ReportKind.ADHOC and not (period_start and period_end and period_start <= period_end):
        raise ApplicationError("Báo cáo đột xuất cần khoảng thời gian số liệu (từ ngày – đến ngày).",
                               field="period_start")
    units = list(units)
    if not units:
        raise ApplicationError("Chọn ít nhất một đơn vị phải báo cáo.", field="units")
    request = ReportRequest.objects.create(
        requested_by=requested_by, kind=kind, year=year, quarter=quarter, title=title,
        deadline=deadline, note=note, period_start=period_start, period_end=period_end,
    )
    request.units.set(units)
    log(request, "wagtail.create", user=actor)
    return request
