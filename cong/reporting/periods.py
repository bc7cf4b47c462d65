"""Reporting periods: a quarter up to a day, six or nine months, a year."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from cong.core import vn
from cong.core.errors import ApplicationError

from .models import ReportKind


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    quarter: int | None
    start: dt.date
    end: dt.date  # the last day of the whole period
    until: dt.date  # figures up to this day (inclusive)

    @property
    def label(self) -> str:
        """'quý I/2024', '6 tháng đầu năm 2024', 'năm 2024'."""
        if self.kind == ReportKind.QUARTERLY:
            return vn.quarter(self.quarter, self.year)
        if self.kind == ReportKind.SIX_MONTH:
            return f"6 tháng đầu năm {self.year}"
        if self.kind == ReportKind.NINE_MONTH:
            return f"9 tháng đầu năm {self.year}"
        if self.kind == ReportKind.ANNUAL:
            return f"năm {self.year}"
        return f"từ {vn.date(self.start)[5:]} đến {vn.date(self.until)[5:]}"

    @property
    def complete(self) -> bool:
        return self.until >= self.end

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "year": self.year, "quarter": self.quarter,
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "until": self.until.isoformat(), "label": self.label,
            "until_text": vn.date(self.until),
        }


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_for(*, kind: str, year: int, quarter: int | None = None, until: dt.date | None = None,
               today: dt.date, start: dt.date | None = None) -> Period:
    """The period of a report; ``until`` defaults to its end, or today if earlier.

    Raises ApplicationError naming the problem: a quarter outside 1–4, an
    ``until`` outside the period or in the future.
    """
    if kind not in ReportKind.values:
        raise ApplicationError(f"Loại báo cáo không hợp lệ: {kind}.", field="kind")
    if not 2000 <= year <= 2100:
        raise ApplicationError(f"Năm {year} không hợp lệ.", field="year")
    if kind == ReportKind.QUARTERLY:
        if quarter not in (1, 2, 3, 4):
            raise ApplicationError(f"Quý phải từ 1 đến 4 (nhận được {quarter}).", field="quarter")
        first = dt.date(year, 3 * quarter - 2, 1)
        last = _month_end(year, 3 * quarter)
    elif kind == ReportKind.SIX_MONTH:
        first, last = dt.date(year, 1, 1), dt.date(year, 6, 30)
    elif kind == ReportKind.NINE_MONTH:
        first, last = dt.date(year, 1, 1), dt.date(year, 9, 30)
    elif kind == ReportKind.ANNUAL:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        if start is None or until is None:
            raise ApplicationError("Báo cáo đột xuất cần ngày bắt đầu và ngày kết thúc.", field="until")
        first, last = start, until
    if first > today:
        raise ApplicationError(f"Kỳ báo cáo {vn.date(first)[5:]} chưa bắt đầu.", field="until")
    if until is None:
        until = min(last, today)
    if until < first or until > last:
        raise ApplicationError(
            f"Ngày tính số liệu {until:%d/%m/%Y} nằm ngoài kỳ báo cáo "
            f"({first:%d/%m/%Y} – {last:%d/%m/%Y}).", field="until",
        )
    if until > today:
        raise ApplicationError(
            f"Ngày tính số liệu {until:%d/%m/%Y} ở tương lai (hôm nay {today:%d/%m/%Y}).", field="until",
        )
    return Period(kind=kind, year=year, quarter=quarter if kind == ReportKind.QUARTERLY else None,
                  start=first, end=last, until=until)
