"""Staff session protections and the admin's network limits."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseNotFound, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from cong.core.abuse import client_ip

from .audit import record
from .choices import AuditAction

ADMIN_PREFIX = "/admin/"
TOUCH_EVERY_SECONDS = 60


def _two_factor_paths():
    return (reverse("security_2fa_setup"), reverse("security_2fa_verify"),
            reverse("security_keys"), reverse("security_key_register_options"),
            reverse("security_key_register"), reverse("security_key_auth_options"),
            reverse("security_key_authenticate"),
            reverse("wagtailadmin_logout"), reverse("wagtailadmin_login"))


class StaffSecurityMiddleware:
    """After authentication: ends idle sessions, keeps the list of sessions
    current, and holds every admin request until the second factor is given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        response = self.get_response(request)
        username = getattr(request, "cong_known_client", None)
        if username:
            from .throttle import KNOWN_CLIENT_COOKIE, known_client_cookie_value

            response.set_signed_cookie(
                KNOWN_CLIENT_COOKIE, known_client_cookie_value(username), salt="cong.security",
                max_age=180 * 24 * 3600, httponly=True, samesite="Lax",
                secure=request.is_secure(), path=ADMIN_PREFIX,
            )
        return response

    def _check(self, request, user):
        from .models import UserSession
        from .services import SESSION_2FA_KEY, SESSION_LAST_SEEN_KEY, two_factor_required

        session = request.session
        now = int(time.time())
        idle = getattr(settings, "CONG_SESSION_IDLE_SECONDS", settings.SESSION_COOKIE_AGE)
        last = session.get(SESSION_LAST_SEEN_KEY)
        key = session.session_key
        # A session registered at sign-in whose row is gone was signed out
        # from another device (or the account was deactivated).
        revoked = (
            last is not None and key is not None
            and not UserSession.objects.filter(session_key=key, user=user).exists()
        )
        if (last is not None and now - last > idle) or revoked:
            record(AuditAction.LOGOUT, obj=user, actor=user, request=request,
                   message="revoked" if revoked else "idle")
            logout(request)
            if request.path_info.startswith(ADMIN_PREFIX):
                return HttpResponseRedirect(
                    reverse("wagtailadmin_login") + "?" + urlencode({"next": request.get_full_path()})
                )
            return None
        if last is None or now - last >= TOUCH_EVERY_SECONDS:
            session[SESSION_LAST_SEEN_KEY] = now
            if key:
                from django.utils import timezone

                UserSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())
        if (
            request.path_info.startswith(ADMIN_PREFIX)
            and not session.get(SESSION_2FA_KEY)
            and request.path_info not in _two_factor_paths()
            and two_factor_required(user)
        ):
            return HttpResponseRedirect(
                reverse("security_2fa_verify") + "?" + urlencode({"next": request.get_full_path()})
            )
        return None


class AdminAccessMiddleware:
    """Limits the admin to given networks (``CONG_ADMIN_ALLOWED_NETWORKS``,
    CIDR) and host names (``CONG_ADMIN_HOSTS``); elsewhere it does not exist
    (404). Empty settings leave the admin open."""

    prefixes = (ADMIN_PREFIX, "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = [ipaddress.ip_network(n, strict=False)
                         for n in getattr(settings, "CONG_ADMIN_ALLOWED_NETWORKS", ())]
        self.hosts = {h.lower() for h in getattr(settings, "CONG_ADMIN_HOSTS", ())}

    def __call__(self, request):
        if (
            (self.networks or self.hosts)
            and request.path_info.startswith(self.prefixes)
            and not self._allowed(request)
        ):
            record(AuditAction.REFUSED, request=request, object_type="request",
                   object_repr=request.path[:255], message="admin outside allowed networks/hosts")
            return HttpResponseNotFound()
        return self.get_response(request)

    def _allowed(self, request) -> bool:
        if self.hosts:
            host = request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()
            if host not in self.hosts:
                return False
        if self.networks:
            try:
                ip = ipaddress.ip_address(client_ip(request))
            except ValueError:
                return False
            if not any(ip in net for net in self.networks):
                return False
        return True
