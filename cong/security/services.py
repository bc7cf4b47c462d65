"""Writes of the security app: second factors, staff sessions, cases."""

from __future__ import annotations

import datetime as dt

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cong.core.abuse import client_ip
from cong.core.calendar import add_working_days
from cong.core.errors import ApplicationError

from .audit import record
from .choices import AuditAction, CaseAction, CaseKind, CaseStatus
from .models import Case, TOTPDevice, UserSession

SESSION_2FA_KEY = "cong_2fa_verified"
SESSION_LAST_SEEN_KEY = "cong_last_seen"
TOTP_ISSUER = "Cổng"


# --- two-factor sign-in ----------------------------------------------------------


def totp_device_start(*, user) -> TOTPDevice:
    """A new, unconfirmed secret for the user's authenticator app (replacing
    an unconfirmed one; a confirmed one is kept until the new one is confirmed)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed:
        return device
    if device is None:
        device = TOTPDevice(user=user)
    device.secret = pyotp.random_base32(32)
    device.confirmed = False
    device.last_step = 0
    device.save()
    return device


def totp_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=TOTP_ISSUER
    )


def totp_verify(*, device: TOTPDevice, code: str, now: dt.datetime | None = None) -> bool:
    """True for a valid code of the current step (±1 for clock drift) not
    used before; the step is then remembered, so a code cannot be replayed."""
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(device.secret)
    now = now or timezone.now()
    step = int(now.timestamp()) // totp.interval
    for offset in (0, -1, 1):
        candidate = step + offset
        if candidate <= device.last_step:
            continue
        if totp.verify(code, for_time=candidate * totp.interval):
            with transaction.atomic():
                updated = TOTPDevice.objects.filter(pk=device.pk, last_step__lt=candidate).update(
                    last_step=candidate, confirmed=True
                )
            if updated:
                device.last_step = candidate
                return True
            return False
    return False


def two_factor_required(user) -> bool:
    """Every board member and every staff or superuser account signs in with
    a second factor."""
    if not user.is_authenticated:
        return False
    if not getattr(settings, "CONG_2FA_REQUIRED", True):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.board_memberships.filter(ended_on__isnull=True).exists()


def has_second_factor(user) -> bool:
    """A confirmed authenticator app or at least one security key."""
    from .models import SecurityKey

    return (TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            or SecurityKey.objects.filter(user=user).exists())


def two_factor_mark_verified(request) -> None:
    request.session[SESSION_2FA_KEY] = True
    record(AuditAction.TWO_FACTOR, obj=request.user, request=request, message="verified")


# --- sessions ----------------------------------------------------------------------


def user_session_register(*, request, user) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    now = timezone.now()
    session[SESSION_LAST_SEEN_KEY] = int(now.timestamp())
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": client_ip(request) or None,
                  "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
                  "created_at": now, "last_seen_at": now},
    )


def user_session_end(*, user, session_id, by=None) -> None:
    """Sign one of the user's sessions out (from any device)."""
    row = UserSession.objects.filter(user=user, pk=session_id).first() if str(session_id).isdigit() else None
    if row is None:
        raise ApplicationError(_("Không tìm thấy phiên đăng nhập."))
    _session_delete(row.session_key)
    row.delete()
    record(AuditAction.SESSION_REVOKED, obj=user, actor=by or user,
           changes={"ip": row.ip, "user_agent": row.user_agent})


def user_sessions_end(*, user, except_key: str | None = None) -> int:
    rows = UserSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _session_delete(key)
    rows.delete()
    return len(keys)


def _session_delete(session_key: str) -> None:
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()
    Session.objects.filter(session_key=session_key).delete()


# --- incidents and violating information ------------------------------------------

ASSESS_WORKING_DAYS = 2
CORRECTION_WORKING_DAYS = 5  # Law on Access to Information Art. 32(1)
INCIDENT_WORKING_DAYS = 1


def case_due_on(kind: str, received: dt.datetime) -> dt.date:
    days = ASSESS_WORKING_DAYS
    if kind in (CaseKind.DEFACEMENT, CaseKind.OUTAGE, CaseKind.DATA_EXPOSURE):
        days = INCIDENT_WORKING_DAYS
    return add_working_days(timezone.localtime(received).date(), days)


def case_report(*, portal, kind, title, description, url="", page=None, reporter_name="",
                reporter_email="", reporter_phone="", from_public=False, responsible=None,
                actor=None) -> Case:
    now = timezone.now()
    if page is None and url:
        page = _page_for_url(portal, url)
    case = Case.objects.create(
        portal=portal, kind=kind, title=title, description=description, url=url, page=page,
        reporter_name=reporter_name, reporter_email=reporter_email,
        reporter_phone=reporter_phone, from_public=from_public, received_at=now,
        due_on=case_due_on(kind, now), responsible=responsible,
    )
    record(AuditAction.INCIDENT, obj=case, actor=actor, portal=portal, message="received",
           changes={"kind": kind, "from_public": from_public, "due_on": case.due_on.isoformat()})
    return case


def _page_for_url(portal, url: str):
    from urllib.parse import urlsplit

    from wagtail.models import Page

    parts = urlsplit(url)
    if parts.hostname and parts.hostname.lower() != portal.site.hostname.lower():
        return None
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    root = portal.site.root_page
    return Page.objects.filter(url_path=root.url_path.rstrip("/") + path).first()


def _require_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise ApplicationError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thực hiện được thao tác này.")
            % {"status": case.get_status_display()}
        )


def case_assess(*, case: Case, assessment: str, responsible=None, actor=None) -> Case:
    _require_status(case, CaseStatus.RECEIVED)
    if not assessment.strip():
        raise ApplicationError(_("Nhập nội dung đánh giá."), field="assessment")
    case.assessment = assessment
    case.assessed_at = timezone.now()
    case.status = CaseStatus.ASSESSED
    if responsible is not None:
        case.responsible = responsible
    case.save()
    record(AuditAction.INCIDENT, obj=case, actor=actor, message="assessed",
           changes={"responsible": str(case.responsible or "")})
    return case


@transaction.atomic
def case_act(*, case: Case, action: str, reason: str, actor=None) -> Case:
    """Decide the case: take the page down (unpublished at once), correct it
    (due within 5 working days), or keep it, with the reason."""
    _require_status(case, CaseStatus.ASSESSED)
    if action not in CaseAction.values:
        raise ApplicationError(_("Biện pháp xử lý không hợp lệ."), field="action")
    if not reason.strip():
        raise ApplicationError(_("Nêu lý do, nội dung xử lý."), field="action_reason")
    now = timezone.now()
    case.action = action
    case.action_reason = reason
    case.acted_at = now
    case.status = CaseStatus.ACTION
    if action == CaseAction.TAKEDOWN:
        if case.page is None:
            raise ApplicationError(_("Hồ sơ không gắn với trang nào để gỡ bỏ."), field="action")
        page = case.page.specific
        if page.live:
            page.unpublish(user=actor, log_action=True)
        record(AuditAction.TAKEDOWN, obj=page, actor=actor, portal=case.portal,
               message=f"case {case.pk}", changes={"reason": reason})
    elif action == CaseAction.CORRECT:
        case.correction_due_on = add_working_days(timezone.localtime(now).date(), CORRECTION_WORKING_DAYS)
    case.save()
    record(AuditAction.INCIDENT, obj=case, actor=actor, message=f"action: {action}",
           changes={"reason": reason})
    return case


def case_correction_done(*, case: Case, actor=None) -> Case:
    _require_status(case, CaseStatus.ACTION)
    if case.action != CaseAction.CORRECT:
        raise ApplicationError(_("Hồ sơ này không phải đính chính."))
    case.corrected_at = timezone.now()
    case.save(update_fields=["corrected_at"])
    record(AuditAction.INCIDENT, obj=case, actor=actor, message="corrected")
    return case


def case_close(*, case: Case, actor=None) -> Case:
    _require_status(case, CaseStatus.ACTION)
    if case.action == CaseAction.CORRECT and case.corrected_at is None:
        raise ApplicationError(_("Chưa đính chính xong, chưa đóng được hồ sơ."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    record(AuditAction.INCIDENT, obj=case, actor=actor, message="closed")
    return case
