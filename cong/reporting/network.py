"""The network table of the province board: every child portal at a glance."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cong.content.selectors import items_counts
from cong.core import vn
from cong.units.models import Unit
from cong.units.services import province_portal

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
    province = province_portal()
    units = list(Unit.objects.filter(portal__isnull=False, active=True).select_related("portal__site"))
    units.sort(key=lambda u: (u.pk != getattr(province, "unit_id", None), u.unit_type, u.name))
    rows = []
    start = dt.date(year, 1, 1)
    for unit in units:
        published = items_counts(unit=unit, start=start, end=today)["total"]
        target = target_for(unit=unit, year=year)
        rows.append({"unit": unit, "cells": {
            "unit": unit.name, "type": unit.get_unit_type_display(), "items": published,
            "target": target.items if target else None,
            "percent": vn.percent(published, target.items) if target else "",
        }})
    return {"columns": columns, "rows": rows}
