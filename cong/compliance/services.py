"""Writes of compliance: running checks and storing their results, the
trust-label register, rule switches, maintenance notices, reminders."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cong.core import cache_version
from cong.core.errors import ApplicationError

from . import rules as rules_mod
from .checks import CHECKS, Context, NotApplicable, Unavailable
from .fetch import HttpFetcher, PortalFetcher
from .models import CheckResult, CheckRun, MaintenanceNotice, RuleSwitch, Status, TrustLabel

logger = logging.getLogger("cong.compliance")

REMIND_DAYS = 30


# --- Running checks -------------------------------------------------------------


def _evaluate(ctx: Context, rule_list, switched_off: dict[str, str]) -> list[dict]:
    results = []
    for rule in rule_list:
        row = {
            "rule_id": rule.id, "title": str(rule.title), "basis": rule.basis_on(ctx.day)[:255],
            "severity": rule.severity, "remedy": str(rule.remedy), "message": "", "fix_url": "",
        }
        if rule.id in switched_off:
            row.update(status=Status.OFF, message=f"Đã tắt: {switched_off[rule.id]}")
        elif rule.check not in CHECKS:
            row.update(status=Status.ERROR,
                       message=f"Quy tắc {rule.id} dùng phép kiểm tra không tồn tại «{rule.check}».")
        else:
            try:
                outcome = CHECKS[rule.check](ctx, rule)
            except NotApplicable as exc:
                row.update(status=Status.NA, message=str(exc))
            except Unavailable as exc:
                row.update(status=Status.ERROR, message=str(exc))
            except Exception as exc:  # a broken check is reported, never a pass
                logger.exception("compliance check %s failed on %s", rule.check, ctx.portal)
                row.update(status=Status.ERROR,
                           message=f"Phép kiểm tra {rule.check} gặp lỗi: {exc.__class__.__name__}.")
            else:
                row.update(status=Status.PASS if outcome.passed else Status.FAIL,
                           message=outcome.message, fix_url=outcome.fix_url[:512])
        results.append(row)
    return results


def _store(*, portal, url: str, started, rows: list[dict], notes: list[str]) -> CheckRun:
    counted = [r for r in rows if r["status"] in (Status.PASS, Status.FAIL)]
    passed = sum(r["status"] == Status.PASS for r in counted)
    failed = len(counted) - passed
    errors = sum(r["status"] == Status.ERROR for r in rows)
    with transaction.atomic():
        run = CheckRun.objects.create(
            portal=portal, url=url, started_at=started, finished_at=timezone.now(),
            complete=errors == 0, passed=passed, failed=failed, errors=errors,
            failed_errors=sum(r["status"] == Status.FAIL and r["severity"] == rules_mod.ERROR for r in rows),
            score=round(100.0 * passed / len(counted), 1) if counted else 0.0,
            notes=notes,
        )
        CheckResult.objects.bulk_create([CheckResult(run=run, **r) for r in rows])
    return run


def _switched_off() -> dict[str, str]:
    return dict(RuleSwitch.objects.values_list("rule_id", "reason"))


def portal_check(portal, *, day: dt.date | None = None, scope: str | None = None,
                 rule_list=None, browser=None, ctx: Context | None = None) -> CheckRun:
    """Check one portal of this installation against the rules in force on
    the day; store and return the run."""
    day = day or timezone.localdate()
    started = timezone.now()
    ctx = ctx or Context(day=day, portal=portal, fetcher=PortalFetcher(portal), browser=browser)
    selected = rules_mod.rules_for(day, scope=scope, rules=rule_list)
    rows = _evaluate(ctx, selected, _switched_off())
    return _store(portal=portal, url="", started=started, rows=rows, notes=[])


def url_check(url: str, *, day: dt.date | None = None, budget: int = 20, rule_list=None,
              browser=None, timeout: float = 10.0, delay: float = 0.2) -> CheckRun:
    """The layout and technical rules against any portal by address."""
    day = day or timezone.localdate()
    started = timezone.now()
    fetcher = HttpFetcher(url, budget=budget, timeout=timeout, delay=delay)
    ctx = Context(day=day, portal=None, fetcher=fetcher, browser=browser)
    selected = rules_mod.rules_for(day, scope=rules_mod.LAYOUT, rules=rule_list)
    rows = _evaluate(ctx, selected, _switched_off())
    notes = [f"Đã tải {fetcher.fetched}/{budget} trang."]
    return _store(portal=None, url=url, started=started, rows=rows, notes=notes)


def network_check(*, day: dt.date | None = None, scope: str | None = None, portals=None) -> list[CheckRun]:
    """Every active portal, sharing one browser for the accessibility scan."""
    from cong.units.models import Portal

    from .a11y import Browser, scan_submit

    day = day or timezone.localdate()
    portals = list(portals if portals is not None
                   else Portal.objects.filter(unit__active=True).select_related("unit", "site"))
    switched_off = _switched_off()
    scans = any(r.check == "accessibility" and r.id not in switched_off
                for r in rules_mod.rules_for(day, scope=scope))
    runs = []
    with Browser() as browser:
        contexts = [Context(day=day, portal=p, fetcher=PortalFetcher(p), browser=browser) for p in portals]
        # Pipeline: the next portal's sample is rendered and queued for
        # Chromium before this portal's other rules run, so the browser's
        # axe scans overlap the rendering in this process.
        if scans and contexts:
            scan_submit(contexts[0])
        for i, (portal, ctx) in enumerate(zip(portals, contexts, strict=True)):
            if scans and i + 1 < len(contexts):
                scan_submit(contexts[i + 1])
            runs.append(portal_check(portal, day=day, scope=scope, ctx=ctx))
            contexts[i] = None  # rendered pages are no longer needed
    return runs


# --- Rule switches ----------------------------------------------------------------


def rule_switch_off(*, rule_id: str, reason: str, user=None) -> RuleSwitch:
    known = {r.id for r in rules_mod.all_rules()}
    if rule_id not in known:
        raise ApplicationError(f"Không có quy tắc «{rule_id}».", field="rule_id")
    if not (reason or "").strip():
        raise ApplicationError("Phải ghi lý do khi tắt một quy tắc.", field="reason")
    switch, _ = RuleSwitch.objects.update_or_create(
        rule_id=rule_id, defaults={"reason": reason.strip(), "switched_by": user}
    )
    return switch


def rule_switch_on(*, rule_id: str) -> None:
    RuleSwitch.objects.filter(rule_id=rule_id).delete()


# --- Trust labels ---------------------------------------------------------------------


def trust_label_save(*, unit, certificate: str, issued_on: dt.date, expires_on: dt.date | None = None,
                     issuer: str = "NCSC", domain: str = "", certificate_url: str = "",
                     instance: TrustLabel | None = None) -> TrustLabel:
    label = instance or TrustLabel()
    label.unit, label.certificate, label.issuer = unit, certificate, issuer or "NCSC"
    label.issued_on, label.expires_on = issued_on, expires_on
    label.domain, label.certificate_url = (domain or "").lower(), certificate_url or ""
    if instance is not None and instance.pk:
        label.reminded_on = None
    from django.core.exceptions import ValidationError

    try:
        label.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages)) from exc
    label.save()  # the badge follows through the post_save signal
    return label


def trust_badge_sync(*, unit, day: dt.date | None = None) -> bool:
    """Render the footer badge from the register: the certificate page of
    the label valid today, nothing when none is. Returns True on a change."""
    from cong.units.models import Portal, PortalSettings

    from .selectors import trust_label_for

    portal = Portal.objects.filter(unit=unit).select_related("site").first()
    if portal is None:
        return False
    day = day or timezone.localdate()
    label = trust_label_for(unit, day)
    ps = PortalSettings.for_site(portal.site)
    url = "" if label is None else label.certificate_url or ps.trust_badge_url
    if url == ps.trust_badge_url:
        return False
    ps.trust_badge_url = url
    ps.save(update_fields=["trust_badge_url"])
    cache_version.bump(cache_version.PORTALS)
    return True


def trust_labels_daily(day: dt.date | None = None) -> dict:
    """Badges follow the register as labels start and expire; boards are
    reminded once before a label expires."""
    from cong.units.choices import LEADER_ROLES
    from cong.units.models import Unit

    from .selectors import labels_expiring

    day = day or timezone.localdate()
    changed = sum(trust_badge_sync(unit=u, day=day)
                  for u in Unit.objects.filter(portal__isnull=False, trust_labels__isnull=False).distinct())
    reminded = 0
    for label in labels_expiring(day, REMIND_DAYS):
        if label.reminded_on is not None:
            continue
        portal = getattr(label.unit, "portal", None)
        recipients = []
        if portal is not None:
            recipients = sorted({
                m.user.email for m in portal.memberships.filter(ended_on__isnull=True, role__in=LEADER_ROLES)
                .select_related("user") if m.user.email
            })
        if recipients:
            send_mail(
                f"Nhãn Tín nhiệm mạng của {label.unit.name} sắp hết hạn",
                (f"Chứng nhận {label.certificate} ({label.issuer}) của {label.unit.name} hết hạn ngày "
                 f"{label.expires_on:%d/%m/%Y}. Đề nghị làm thủ tục gia hạn trên tinnhiemmang.vn "
                 "và cập nhật sổ nhãn Tín nhiệm mạng."),
                settings.DEFAULT_FROM_EMAIL, recipients,
            )
        TrustLabel.objects.filter(pk=label.pk).update(reminded_on=day)
        reminded += 1
    return {"badges_changed": changed, "reminded": reminded}


# --- Maintenance ----------------------------------------------------------------------


def maintenance_notice_create(*, portal, starts_at, ends_at, message: str,
                              announced_at=None, force_majeure: bool = False) -> MaintenanceNotice:
    from django.core.exceptions import ValidationError

    notice = MaintenanceNotice(
        portal=portal, starts_at=starts_at, ends_at=ends_at, message=message,
        announced_at=announced_at or timezone.now(), force_majeure=force_majeure,
    )
    try:
        notice.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages)) from exc
    notice.save()
    return notice
