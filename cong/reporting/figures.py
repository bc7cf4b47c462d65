"""Every figure of a report, computed from the portal's own data.

``report_figures`` returns plain data (JSON-serialisable) under documented
keys (docs/reporting.md); the DOCX, the PDF and the JSON output all render
it. Figures follow docs/import-format.md ("What the quarterly report
computes"): each is of the unit's own portal, except the trust labels of its
child portals and the network table.
"""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from cong.content.choices import ItemType
from cong.content.models import Category
from cong.content.selectors import items_counts
from cong.core import vn
from cong.core.errors import ApplicationError
from cong.units.models import Portal, Unit

from .models import WorkPlanTask
from .periods import Period
from .selectors import target_for


def _require_portal(unit: Unit) -> Portal:
    portal = Portal.objects.filter(unit=unit).select_related("site").first()
    if portal is None:
        raise ApplicationError(f"{unit.name} chưa có cổng thông tin; không có số liệu để báo cáo.", field="unit")
    return portal


def items_section(unit: Unit, period: Period) -> dict:
    counts = items_counts(unit=unit, start=period.start, end=period.until)
    target = target_for(unit=unit, year=period.year)
    if target is None:
        raise ApplicationError(
            f"{unit.name} chưa có chỉ tiêu thông tin năm {period.year}; nhập chỉ tiêu trước khi lập báo cáo.",
            field="target",
        )
    names = dict(Category.objects.values_list("slug", "name"))
    by_category = [
        {"slug": slug, "name": names.get(slug, slug), "count": n, "count_text": vn.number(n)}
        for slug, n in sorted(counts["by_category"].items(), key=lambda kv: -kv[1])
    ]
    by_type = [
        {"type": t, "name": str(label), "count": counts["by_type"].get(t, 0),
         "count_text": vn.number(counts["by_type"].get(t, 0))}
        for t, label in ItemType.choices
    ]
    ratio = counts["total"] / target.items if target.items else 0.0
    return {
        "total": counts["total"],
        "total_text": vn.number(counts["total"]),
        "by_type": by_type,
        "by_category": by_category,
        "by_topic": [{"topic": k, "count": v} for k, v in sorted(counts["by_topic"].items(), key=lambda kv: -kv[1])],
        "target": target.items,
        "target_text": vn.number(target.items),
        "target_ratio": round(ratio, 6),
        "target_percent": vn.percent(counts["total"], target.items),
    }


def work_plan_section(unit: Unit, period: Period, today: dt.date) -> list[dict]:
    tasks = WorkPlanTask.objects.filter(unit=unit, year=period.year).prefetch_related("responsible_units")
    return [
        {
            "title": t.title, "legal_basis": t.legal_basis, "due": t.due_label(),
            "status": t.status, "status_text": str(t.get_status_display()),
            "overdue": t.is_overdue(today), "evidence_url": t.evidence_url,
            "responsible": [u.display_short_name for u in t.responsible_units.all()],
        }
        for t in tasks
    ]


def targets_next_section(unit: Unit, period: Period) -> dict:
    own = target_for(unit=unit, year=period.year)
    children = {}
    for child in Unit.objects.filter(parent=unit, active=True).select_related("portal"):
        t = target_for(unit=child, year=period.year)
        if t is not None:
            children.setdefault(t.items, []).append(child.unit_type)
    return {
        "own": own.items if own else None,
        "own_text": vn.number(own.items) if own else "",
        "children": [{"items": n, "items_text": vn.number(n), "unit_types": sorted(set(types))}
                     for n, types in sorted(children.items(), reverse=True)],
    }


def _selectors(app: str):
    """The selectors module of an optional domain app, or None when the app
    is not installed (a section is then left out of the report)."""
    if not apps.is_installed(f"cong.{app}"):
        return None
    return importlib.import_module(f"cong.{app}.selectors")


def shares_section(unit: Unit, period: Period) -> dict | None:
    sel = _selectors("syndication")
    if sel is None:
        return None
    n = sel.items_shared_count(unit, period.start, period.until)
    return {"items": n, "items_text": vn.number(n)}


def gazette_section(unit: Unit, period: Period) -> dict | None:
    sel = _selectors("gazette")
    if sel is None:
        return None
    counts = sel.documents_posted_count(unit, period.start, period.until)
    total = counts["normative"] + counts["other"]
    return {
        "total": total, "total_text": vn.number(total),
        "normative": counts["normative"], "normative_text": vn.count2(counts["normative"]),
        "other": counts["other"], "other_text": vn.count2(counts["other"]),
    }


SUPPORT_TYPES = ("consultation", "announcement", "event_promotion", "phone", "other")


def support_section(unit: Unit, period: Period) -> dict | None:
    sel = _selectors("engagement")
    if sel is None:
        return None
    counts = sel.support_cases_count(unit, period.start, period.until)
    section = {"total": counts["total"], "total_text": vn.number(counts["total"])}
    for key in SUPPORT_TYPES:
        section[key] = counts.get(key, 0)
        section[f"{key}_text"] = vn.count2(counts.get(key, 0))
    return section


def visits_section(unit: Unit, period: Period) -> dict | None:
    sel = _selectors("analytics")
    if sel is None:
        return None
    traffic = sel.traffic(unit, period.start, period.until)
    since = sel.visits_since_launch(unit, period.until)
    first_day = sel.first_recorded_day(unit) if hasattr(sel, "first_recorded_day") else None
    avg = traffic["average_visit_seconds"]
    return {
        "visits": traffic["visits"], "visits_text": vn.number(traffic["visits"]),
        "pageviews": traffic["pageviews"],
        "since_launch": since, "since_launch_text": vn.number(since),
        "first_year": first_day.year if first_day else None,
        "average_visit_seconds": round(avg, 1),
        "average_visit_text": vn.duration(avg),
    }


def trust_labels_section(unit: Unit, period: Period) -> dict | None:
    sel = _selectors("compliance")
    if sel is None:
        return None
    portal = Portal.objects.filter(unit=unit).first()
    rows = sel.trust_label_coverage(unit, period.until)
    return {
        "own": bool(portal and sel.portal_has_trust_label(portal, period.until)),
        "children": [
            {**row, "text": f"{row['labelled']}/{row['total']}"} for row in rows
        ],
    }


def report_figures(*, unit: Unit, period: Period, today: dt.date | None = None) -> dict:
    """All figures of ``unit``'s report for ``period``."""
    today = today or timezone.localdate()
    portal = _require_portal(unit)
    return {
        "unit": {
            "code": unit.code, "name": unit.name, "short_name": unit.display_short_name,
            "type": unit.unit_type, "hostname": portal.site.hostname,
            "parent": unit.parent.name if unit.parent_id else "",
        },
        "period": period.as_dict(),
        "items": items_section(unit, period),
        "shares": shares_section(unit, period),
        "gazette": gazette_section(unit, period),
        "support": support_section(unit, period),
        "visits": visits_section(unit, period),
        "trust_labels": trust_labels_section(unit, period),
        "targets_next": targets_next_section(unit, period),
        "work_plan": work_plan_section(unit, period, today),
        "generated_at": timezone.now().isoformat(),
    }
