"""The traffic dashboard in the admin: per portal for its board, and for
the whole network for the province board; CSV export of the same figures."""

from __future__ import annotations

import csv
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cong.core import vn
from cong.units.permissions import is_network_overseer, portals_for_user

from .. import selectors
from ..collector import local_day
from ..models import DeviceClass

MAX_DAYS = 3 * 366
CHART_W, CHART_H = 720, 200


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _scope(request):
    """(portal or None for the network, portal ids, unit ids) the user asked
    for and may see."""
    portals = list(portals_for_user(request.user).select_related("unit", "site").order_by("unit__name"))
    overseer = is_network_overseer(request.user)
    if not portals and not overseer:
        raise PermissionDenied
    wanted = request.GET.get("cong", "")
    chosen = next((p for p in portals if str(p.pk) == wanted), None)
    if chosen is None and not (overseer and wanted in ("", "all")):
        chosen = portals[0] if portals else None
    if chosen is None:
        return None, None, None, portals, overseer
    return chosen, [chosen.pk], [chosen.unit_id], portals, overseer


def _chart(series: list[dict]) -> dict:
    peak = max((row["visits"] for row in series), default=0) or 1
    width = CHART_W / max(len(series), 1)
    bars = []
    for i, row in enumerate(series):
        h = round(row["visits"] / peak * (CHART_H - 20), 1)
        bars.append({
            "x": round(i * width, 1), "y": round(CHART_H - h, 1), "w": max(round(width - 1, 1), 1), "h": h,
            "label": f"{vn.date(row['date'])}: {vn.number(row['visits'])}",
            "imported": row["imported"],
        })
    return {"bars": bars, "width": CHART_W, "height": CHART_H, "peak": vn.number(peak)}


def dashboard(request):
    portal, portal_ids, unit_ids, portals, overseer = _scope(request)
    today = local_day(timezone.now())
    end = _date(request.GET.get("den"), today)
    start = _date(request.GET.get("tu"), end - dt.timedelta(days=29))
    if start > end:
        start, end = end, start
    start = max(start, end - dt.timedelta(days=MAX_DAYS))
    series = selectors.daily_series(unit_ids, start, end)
    totals = selectors.traffic_for(unit_ids, start, end)
    export = request.GET.get("xuat")
    if export in ("ngay", "trang"):
        return _csv(export, portal, series, selectors.top_pages(portal_ids, start, end, limit=1000), start, end)
    device_names = dict(DeviceClass.choices)
    return TemplateResponse(request, "analytics/admin/dashboard.html", {
        "portal": portal,
        "portals": portals,
        "overseer": overseer,
        "start": start,
        "end": end,
        "totals": totals,
        "totals_text": {
            "visits": vn.number(totals["visits"]),
            "pageviews": vn.number(totals["pageviews"]),
            "average": vn.duration(totals["average_visit_seconds"]),
            "visitors": vn.number(selectors.visitors_total(portal_ids, start, end)),
        },
        "series": [
            {**row, "date_text": vn.date(row["date"]), "visits_text": vn.number(row["visits"]),
             "pageviews_text": vn.number(row["pageviews"]),
             "average_text": vn.duration(row["average_visit_seconds"])}
            for row in series
        ],
        "chart": _chart(series),
        "pages": [
            {**row, "pageviews_text": vn.number(row["pageviews"]), "entries_text": vn.number(row["entries"]),
             "average_text": vn.duration(row["seconds"] / row["pageviews"] if row["pageviews"] else 0)}
            for row in selectors.top_pages(portal_ids, start, end)
        ],
        "referrers": [
            {"host": row["host"] or _("Truy cập trực tiếp"), "visits_text": vn.number(row["visits"])}
            for row in selectors.top_referrers(portal_ids, start, end)
        ],
        "by_portal": [
            {"name": row["unit"].name, "visits_text": vn.number(row["visits"]),
             "pageviews_text": vn.number(row["pageviews"]),
             "average_text": vn.duration(row["average_visit_seconds"])}
            for row in selectors.traffic_by_unit(start, end)
        ] if portal is None else [],
        "devices": [
            {"name": device_names.get(row["device"], row["device"]), "visits_text": vn.number(row["visits"])}
            for row in selectors.devices(portal_ids, start, end)
        ],
    })


def _csv(kind: str, portal, series, pages, start, end) -> HttpResponse:
    scope = portal.unit.code if portal else "toan-mang"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="truy-cap-{kind}-{scope}-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    response.write("\ufeff")  # spreadsheet programs read UTF-8 with a BOM
    writer = csv.writer(response)
    if kind == "ngay":
        writer.writerow([_("Ngày"), _("Lượt truy cập"), _("Lượt xem trang"), _("Tổng thời gian (giây)"),
                         _("Thời gian trung bình (giây)"), _("Nguồn số liệu")])
        for row in series:
            writer.writerow([
                row["date"].isoformat(), row["visits"], row["pageviews"], row["visit_seconds"],
                round(row["average_visit_seconds"], 1),
                _("nhập từ cổng cũ") if row["imported"] else _("cổng tự đo"),
            ])
    else:
        writer.writerow([_("Cổng"), _("Trang"), _("Lượt xem trang"), _("Lượt vào đầu tiên"),
                         _("Thời gian xem (giây)")])
        for row in pages:
            writer.writerow([row["portal__site__hostname"], row["path"], row["pageviews"], row["entries"],
                             row["seconds"]])
    return response
