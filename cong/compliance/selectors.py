"""Reads of compliance: trust-label coverage (the reporting contract),
check results and the network table."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from cong.units.choices import UnitType
from cong.units.models import Portal, Unit

from .models import CheckRun, TrustLabel


def _valid_on(day: dt.date) -> Q:
    return Q(issued_on__lte=day) & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))


def trust_label_for(unit: Unit, on_date: dt.date) -> TrustLabel | None:
    """The label the unit holds on that day (the latest issued), if any."""
    return (TrustLabel.objects.filter(_valid_on(on_date), unit=unit)
            .order_by("-issued_on", "-pk").first())


def portal_has_trust_label(portal: Portal, on_date: dt.date) -> bool:
    return TrustLabel.objects.filter(_valid_on(on_date), unit_id=portal.unit_id).exists()


def trust_label_coverage(unit: Unit, on_date: dt.date) -> list[dict]:
    """For each unit type among the unit's ACTIVE child units: how many hold
    a label on that day, out of how many."""
    children = Unit.objects.filter(parent=unit, active=True)
    labelled_ids = set(
        TrustLabel.objects.filter(_valid_on(on_date), unit__in=children).values_list("unit_id", flat=True)
    )
    groups: dict[str, dict] = {}
    for child_id, unit_type in children.values_list("id", "unit_type"):
        row = groups.setdefault(unit_type, {"unit_type": unit_type, "labelled": 0, "total": 0})
        row["total"] += 1
        row["labelled"] += child_id in labelled_ids
    order = list(UnitType.values)
    return sorted(groups.values(), key=lambda r: order.index(r["unit_type"]) if r["unit_type"] in order else 99)


def labels_expiring(on_date: dt.date, within_days: int) -> list[TrustLabel]:
    """Labels valid on the day that expire within the window and that no
    other label of the same unit carries beyond it."""
    until = on_date + dt.timedelta(days=within_days)
    expiring = list(TrustLabel.objects.filter(_valid_on(on_date), expires_on__lte=until)
                    .select_related("unit__portal__site"))
    renewed = set(
        TrustLabel.objects.filter(unit__in=[label.unit_id for label in expiring], issued_on__lte=until)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=until)).values_list("unit_id", flat=True)
    )
    return [label for label in expiring if label.unit_id not in renewed]


def latest_run(portal: Portal) -> CheckRun | None:
    return portal.compliance_runs.order_by("-started_at", "-pk").first()


def run_history(portal: Portal, limit: int = 20) -> list[CheckRun]:
    return list(portal.compliance_runs.order_by("-started_at", "-pk")[:limit])


def network_table(portals) -> list[dict]:
    """One row per portal: its latest run's score and counts, and which of
    its failures depend on facts outside the portal's content (a trust-label
    certificate, the production server's configuration). Three queries
    whatever the number of portals."""
    from django.db.models import OuterRef, Subquery

    from .models import CheckResult, Status
    from .rules import outside_facts

    latest = CheckRun.objects.filter(portal=OuterRef("pk")).order_by("-started_at", "-pk").values("pk")[:1]
    portals = list(portals.select_related("unit", "site").annotate(latest_run_id=Subquery(latest)))
    runs = CheckRun.objects.in_bulk([p.latest_run_id for p in portals if p.latest_run_id])
    outside = outside_facts()
    failing: dict[int, list[tuple[str, str]]] = {}
    for run_id, rule_id, title in (CheckResult.objects.filter(run_id__in=list(runs), status=Status.FAIL)
                                   .values_list("run_id", "rule_id", "title")):
        failing.setdefault(run_id, []).append((rule_id, title))
    rows = []
    for portal in portals:
        run = runs.get(portal.latest_run_id)
        failed = failing.get(run.pk, []) if run else []
        rows.append({
            "portal": portal,
            "run": run,
            "score": run.score if run else None,
            "failed": run.failed if run else None,
            "failed_errors": run.failed_errors if run else None,
            "complete": run.complete if run else None,
            "checked_at": run.started_at if run else None,
            "failed_content": None if run is None else sum(rid not in outside for rid, _ in failed),
            "outside": [{"rule_id": rid, "title": title, "fact": outside[rid]}
                        for rid, title in failed if rid in outside],
        })
    rows.sort(key=lambda r: (r["score"] is None, r["score"] or 0))
    return rows
