"""The network table of the province board: every child portal at a glance."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cong.content.selectors import items_counts
from cong.core import vn
from cong.units.models import Unit
from cong.units.services import province_portal

from .figures import _selectors
from .selectors import target_for


def network_table(*, year: int, today: dt.date) -> dict:
    """Rows per active portal (the province first): items this year against
    the target."""
    columns = [
        {"key": "unit", "label": _("Đơn vị")},
        {"key": "type", "label": _("Loại")},
        {"key": "items", "label": _("Thông tin đã đăng")},
        {"key": "target", "label": _("Chỉ tiêu năm")},
        {"key": "percent", "label": _("Tỷ lệ")},
    ]
    analytics, engagement = _selectors("analytics"), _selectors("engagement")
    gazette, compliance = _selectors("gazette"), _selectors("compliance")
    if analytics:
        columns.append({"key": "visits", "label": _("Lượt truy cập")})
    if engagement:
        columns.append({"key": "overdue_questions", "label": _("Câu hỏi quá hạn")})
    if gazette:
        columns.append({"key": "late_gazette", "label": _("Văn bản đăng muộn")})
    if compliance:
        columns.append({"key": "trust_label", "label": _("Nhãn tín nhiệm mạng")})
    province = province_portal()
    units = list(Unit.objects.filter(portal__isnull=False, active=True).select_related("portal__site"))
    units.sort(key=lambda u: (u.pk != getattr(province, "unit_id", None), u.unit_type, u.name))
    rows = []
    start = dt.date(year, 1, 1)
    for unit in units:
        published = items_counts(unit=unit, start=start, end=today)["total"]
        target = target_for(unit=unit, year=year)
        cells = {
            "unit": unit.name, "type": unit.get_unit_type_display(), "items": published,
            "target": target.items if target else None,
            "percent": vn.percent(published, target.items) if target else "",
        }
        if analytics:
            cells["visits"] = analytics.traffic(unit, start, today)["visits"]
        if engagement:
            cells["overdue_questions"] = engagement.overdue_questions_count(unit, today)
        if gazette:
            cells["late_gazette"] = gazette.late_postings_count(unit, start, today)
        if compliance:
            cells["trust_label"] = str(_("Có") if compliance.portal_has_trust_label(unit.portal, today) else _("Chưa có"))
        rows.append({"unit": unit, "cells": cells})
    return {"columns": columns, "rows": rows}
