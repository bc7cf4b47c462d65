"""Public endpoints: the beacon collector, the no-script pixel, the counter
figures, and the page that publishes the definitions and the privacy notice.

None of them is cached as a page (``/-/`` is outside the page cache), so the
cached pages themselves never carry a figure: the tracker script asks
``/-/a/dem.json``, and readers without script follow the link to
``/-/thong-ke/``.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cong.core import vn
from cong.core.abuse import client_ip
from cong.units.middleware import current_portal

from .. import collector, selectors
from ..collector import IGNORED, BadBeacon, buffer
from ..models import Event

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _request_host(request) -> str:
    try:
        host, _port = split_domain_port(request.get_host())
    except Exception:  # noqa: BLE001 - DisallowedHost, malformed Host
        return ""
    return host.lower()


def _portal_for(request):
    """The portal whose own host name this request is for, else None: the
    default site must not collect beacons sent to some other name."""
    host = _request_host(request)
    portal = current_portal(request)
    if portal is None or portal.site.hostname.lower() != host:
        return None, host
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null":
        from urllib.parse import urlsplit

        if (urlsplit(origin).hostname or "").lower() != host:
            return None, host
    return portal, host


def _excluded(request) -> bool:
    """Robots, Do Not Track, and the portal's own staff (anyone signed in)."""
    ua = request.META.get("HTTP_USER_AGENT", "")
    if collector.is_bot(ua) or request.META.get("HTTP_DNT") == "1":
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
    return False


def _event(request, portal, kind, pageview, **fields) -> Event:
    now = timezone.now()
    day = collector.local_day(now)
    ua = request.META.get("HTTP_USER_AGENT", "")
    return Event(
        portal_id=portal.pk, day=day, ts=now, kind=kind, pageview=pageview,
        visitor=collector.visitor_hash(day, portal.pk, client_ip(request), ua),
        device=collector.device_class(ua) if kind == "p" else "",
        **fields,
    )


def _no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def collect(request):
    """A beacon from the tracker script: 204 when accepted or ignored,
    400 when malformed or oversized (counted either way)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > collector.setting("MAX_BEACON_BYTES", 2048):
        buffer.count(collector.OVERSIZED)
        return HttpResponseBadRequest("Gói tin quá lớn.")
    try:
        beacon = collector.parse_beacon(request.body)
    except BadBeacon as exc:
        buffer.count(exc.reason)
        return HttpResponseBadRequest("Gói tin không hợp lệ.")
    portal, host = _portal_for(request)
    if portal is None or _excluded(request) or (beacon["kind"] == "p" and beacon["host"] != host):
        buffer.count(IGNORED)
        return _no_content()
    if beacon["kind"] == "p":
        event = _event(
            request, portal, "p", beacon["pageview"], path=beacon["path"],
            referrer=collector.referrer_host(beacon["referrer"], host),
        )
    else:
        event = _event(request, portal, "h", beacon["pageview"], engaged=beacon["engaged"])
    buffer.add(event)
    return _no_content()


@require_GET
def pixel(request):
    """The no-script fallback: a pageview without engagement time, for the
    page named by the Referer header (which must be this portal's)."""
    from urllib.parse import urlsplit

    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    portal, host = _portal_for(request)
    referer = request.META.get("HTTP_REFERER", "")
    try:
        parts = urlsplit(referer)
    except ValueError:
        parts = None
    if (
        portal is None or _excluded(request) or parts is None
        or (parts.hostname or "").lower() != host or len(parts.path or "/") > 512
    ):
        buffer.count(IGNORED)
        return response
    buffer.add(_event(request, portal, "p", secrets.token_hex(8), path=parts.path or "/"))
    return response


@require_GET
def counter(request):
    """The figures of the visit counter, for the tracker script."""
    portal = current_portal(request)
    if portal is None:
        return JsonResponse({}, status=404)
    figures = selectors.counter_figures(portal)
    data = dict(figures)
    data.update({f"{key}_text": vn.number(value) for key, value in figures.items()})
    response = JsonResponse(data)
    response["Cache-Control"] = "public, max-age=30"
    return response


@require_GET
def definitions(request):
    """How the figures are counted, what is (not) stored, and the figures."""
    portal = current_portal(request)
    figures = selectors.counter_figures(portal) if portal is not None else None
    emc = None
    if portal is not None:
        from cong.units.middleware import portal_settings

        settings_obj = portal_settings(request)
        emc = settings_obj.emc if settings_obj is not None else None
    return render(request, "analytics/definitions.html", {
        "figures": figures,
        "emc": emc,
        "visit_timeout_minutes": selectors.VISIT_TIMEOUT_SECONDS // 60,
        "retention_days": collector.setting("RETENTION_DAYS", 35),
    })
