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
from urllib.parse import urlsplit

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cong.core import vn
from cong.core.abuse import client_ip
from cong.units.middleware import current_portal

from .. import collector, selectors
from ..collector import IGNORED, buffer
from ..rollup import VISIT_TIMEOUT_SECONDS

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _request_host(request) -> str:
    try:
        host, _port = split_domain_port(request.get_host())
    except Exception:  # noqa: BLE001 - DisallowedHost, malformed Host
        return ""
    return host.lower()


def _no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def collect(request):
    """A beacon from the tracker script: 204 when accepted or ignored,
    400 when malformed or oversized, 503 when dropped under overload
    (counted in every case). Most beacons are
    answered earlier by the WSGI fast path (``cong.analytics.wsgi``); those
    with a session cookie come here, and signed-in staff are left out."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > collector.setting("MAX_BEACON_BYTES", 2048):
        buffer.count(collector.OVERSIZED)
        return HttpResponseBadRequest("Gói tin quá lớn.")
    if request.user.is_authenticated:
        buffer.count(IGNORED)
        return _no_content()
    status = collector.accept(
        host=_request_host(request), ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""), dnt=request.META.get("HTTP_DNT", ""),
        origin=request.META.get("HTTP_ORIGIN", ""), body=request.body,
    )
    if status == 400:
        return HttpResponseBadRequest("Gói tin không hợp lệ.")
    if status == 503:  # the buffer is full: dropped and counted
        response = HttpResponse("Máy chủ đang quá tải, gói tin không được ghi.", status=503,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return _no_content()


@require_GET
def pixel(request):
    """The no-script fallback: a pageview without engagement time, for the
    page named by the Referer header (which must be this portal's)."""
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    host = _request_host(request)
    ua = request.META.get("HTTP_USER_AGENT", "")
    portal_id = collector.portal_id_for_host(host)
    try:
        parts = urlsplit(request.META.get("HTTP_REFERER", ""))
    except ValueError:
        parts = None
    if (
        portal_id is None or parts is None or (parts.hostname or "").lower() != host
        or len(parts.path or "/") > 512 or collector.is_bot(ua)
        or request.META.get("HTTP_DNT") == "1" or request.user.is_authenticated
    ):
        buffer.count(IGNORED)
        return response
    beacon = {"kind": "p", "pageview": secrets.token_hex(8), "path": parts.path or "/", "referrer": ""}
    buffer.add(collector.make_event(portal_id, client_ip(request), ua, beacon, host))
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
        "visit_timeout_minutes": VISIT_TIMEOUT_SECONDS // 60,
        "retention_days": collector.setting("RETENTION_DAYS", 35),
    })
