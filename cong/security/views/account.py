"""Staff account screens in the admin: the second factor and the list of
one's sessions."""

from __future__ import annotations

import base64
import io
import json

import segno
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cong.core import abuse
from cong.core.errors import ApplicationError

from .. import security_keys as security_keys_service
from ..audit import record
from ..choices import AuditAction
from ..models import SecurityKey, TOTPDevice, UserSession
from ..services import (
    SESSION_2FA_KEY,
    has_second_factor,
    totp_device_start,
    totp_uri,
    totp_verify,
    two_factor_mark_verified,
    user_session_end,
    user_sessions_end,
)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _code_attempt(request, device) -> bool:
    if not abuse.check_rate(request, "security-2fa", "10/m"):
        return False
    ok = totp_verify(device=device, code=request.POST.get("code", ""))
    if not ok:
        record(AuditAction.TWO_FACTOR, obj=request.user, request=request, message="failed")
    return ok


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    has_keys = SecurityKey.objects.filter(user=request.user).exists()
    if device is None and not has_keys:
        return HttpResponseRedirect(reverse("security_2fa_setup") + "?next=" + _next(request))
    error = ""
    if request.method == "POST" and device is not None:
        if _code_attempt(request, device):
            two_factor_mark_verified(request)
            return HttpResponseRedirect(_next(request))
        error = _("Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới trên ứng dụng.")
    return render(request, "security/two_factor_verify.html", {
        "page_title": _("Xác thực hai lớp"), "header_icon": "lock", "error": error,
        "next": _next(request), "has_totp": device is not None, "has_keys": has_keys,
    }, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    device = TOTPDevice.objects.filter(user=request.user).first()
    if has_second_factor(request.user) and not request.session.get(SESSION_2FA_KEY):
        # Changing the authenticator needs the current one first.
        return HttpResponseRedirect(reverse("security_2fa_verify") + "?next=" + _next(request))
    if device is not None and device.confirmed and request.POST.get("restart"):
        device.delete()
        device = None
    if device is None:
        device = totp_device_start(user=request.user)
    error = ""
    if request.method == "POST" and not request.POST.get("restart"):
        if _code_attempt(request, device):
            record(AuditAction.TWO_FACTOR, obj=request.user, request=request, message="enrolled")
            two_factor_mark_verified(request)
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return HttpResponseRedirect(_next(request))
        error = _("Mã xác thực không đúng. Kiểm tra đồng hồ của điện thoại và nhập mã mới.")
    uri = totp_uri(device)
    qr = segno.make(uri, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=5, xmldecl=False, svgns=True)
    qr_src = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
    return render(request, "security/two_factor_setup.html", {
        "page_title": _("Bật xác thực hai lớp"), "header_icon": "lock", "error": error,
        "qr_src": qr_src, "secret": device.secret, "next": _next(request), "confirmed": device.confirmed,
    }, status=400 if error else 200)


def sessions_list(request):
    rows = UserSession.objects.filter(user=request.user).order_by("-last_seen_at")
    return render(request, "security/sessions.html", {
        "page_title": _("Phiên đăng nhập của tôi"), "header_icon": "key",
        "rows": rows, "current_key": request.session.session_key,
    })


@require_POST
def session_end(request):
    key = request.POST.get("session", "")
    if key == "others":
        n = user_sessions_end(user=request.user, except_key=request.session.session_key)
        record(AuditAction.SESSION_REVOKED, obj=request.user, request=request, changes={"count": n})
        messages.success(request, _("Đã đăng xuất các phiên khác."))
    else:
        try:
            user_session_end(user=request.user, session_id=key)
            messages.success(request, _("Đã đăng xuất phiên."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("security_sessions"))


# --- WebAuthn security keys -----------------------------------------------------------


def _json_body(request):
    try:
        return json.loads(request.body.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return None


def _needs_verification_first(request) -> bool:
    """Managing keys needs the second factor first, once the account has one."""
    return has_second_factor(request.user) and not request.session.get(SESSION_2FA_KEY)


def security_keys(request):
    if _needs_verification_first(request):
        return HttpResponseRedirect(reverse("security_2fa_verify") + "?next=" + reverse("security_keys"))
    return render(request, "security/security_keys.html", {
        "page_title": _("Khóa bảo mật"), "header_icon": "key",
        "keys": SecurityKey.objects.filter(user=request.user), "next": _next(request),
        "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    })


@require_POST
def security_key_register_options(request):
    if _needs_verification_first(request):
        return JsonResponse({"error": _("Hãy xác thực hai lớp trước.")}, status=403)
    try:
        options = security_keys_service.registration_options(
            request, user=request.user, name=request.POST.get("name", ""))
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return HttpResponse(options, content_type="application/json")


@require_POST
def security_key_register(request):
    if _needs_verification_first(request):
        return JsonResponse({"error": _("Hãy xác thực hai lớp trước.")}, status=403)
    body = _json_body(request)
    if not isinstance(body, dict):
        return JsonResponse({"error": _("Yêu cầu không hợp lệ.")}, status=400)
    try:
        key = security_keys_service.registration_verify(request, user=request.user, credential=body)
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    if not request.session.get(SESSION_2FA_KEY):
        two_factor_mark_verified(request)  # enrolment with a key
    messages.success(request, _("Đã thêm khóa bảo mật “%(name)s”.") % {"name": key.name})
    return JsonResponse({"ok": True, "redirect": reverse("security_keys")})


@require_POST
def security_key_auth_options(request):
    if not abuse.check_rate(request, "security-2fa", "10/m"):
        return JsonResponse({"error": _("Thử quá nhiều lần. Hãy đợi một phút.")}, status=429)
    try:
        options = security_keys_service.authentication_options(request, user=request.user)
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return HttpResponse(options, content_type="application/json")


@require_POST
def security_key_authenticate(request):
    body = _json_body(request)
    if not isinstance(body, dict):
        return JsonResponse({"error": _("Yêu cầu không hợp lệ.")}, status=400)
    try:
        security_keys_service.authentication_verify(request, user=request.user, credential=body)
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    two_factor_mark_verified(request)
    return JsonResponse({"ok": True, "redirect": _next(request)})


@require_POST
def security_key_remove(request):
    if _needs_verification_first(request):
        return HttpResponseRedirect(reverse("security_2fa_verify") + "?next=" + reverse("security_keys"))
    try:
        key = security_keys_service.security_key_remove(
            request, user=request.user, key_id=request.POST.get("key", ""))
        messages.success(request, _("Đã gỡ khóa bảo mật “%(name)s”.") % {"name": key.name})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("security_keys"))
