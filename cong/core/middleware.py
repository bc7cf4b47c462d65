import random

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

from cong.core.page_cache import INTERNAL_HEADER


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.CONG_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with one policy for the public sites and one for the admin.

    No policy allows inline script. A view may widen the public policy for one
    response by setting ``request.csp_update`` (a dict of directive lists);
    the portal's EMC monitoring script is added that way.
    """

    admin_prefixes = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False):
        if report_only:
            return PolicyParts()
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None:
            if request.path_info.startswith(self.admin_prefixes):
                parts.config = settings.CONG_CSP_ADMIN
            else:
                parts.config = settings.CONG_CSP_PUBLIC
        extra = getattr(request, "csp_update", None)
        if extra:
            merged = dict(parts.update or {})
            for directive, sources in extra.items():
                merged[directive] = [*merged.get(directive, []), *sources]
            parts.update = merged
        return parts


class PageCacheMarkMiddleware:
    """Marks responses the page cache may keep (see cong.core.page_cache):
    anonymous GETs answered 200 with HTML, XML or RSS, that set no cookie and
    do not say private/no-store. Forms set the CSRF cookie, so form pages are
    never cached.

    With ``CONG_PAGE_CACHE=nginx`` the mark is ``X-Accel-Expires``, read by
    nginx's proxy cache (deploy/nginx/); a page with a query string (list
    pages, filters) is kept only ``CONG_PAGE_CACHE_QUERY_TTL`` seconds, as
    nginx's purge module removes exact URLs only.

    Each page is kept for its time less a random share of it, up to
    ``CONG_PAGE_CACHE_JITTER``: pages cached together (a warm-up, a restart,
    a purge of the whole site) then expire over minutes instead of in the
    same second, when every expired page would be refreshed at once and the
    application servers would take the whole burst together."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _ttl(self, request) -> int:
        ttl = getattr(settings, "CONG_PAGE_CACHE_QUERY_TTL", 60) if request.GET else settings.CONG_PAGE_CACHE_TTL
        share = max(0.0, min(getattr(settings, "CONG_PAGE_CACHE_JITTER", 0.3), 0.9))
        return ttl - random.randint(0, int(ttl * share))  # noqa: S311 (spread, not secrecy)

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.CONG_PAGE_CACHE in ("file", "nginx")
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not getattr(response, "streaming", False)
            and not response.cookies
            and not request.user.is_authenticated
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            and response.get("Content-Type", "").startswith(
                ("text/html", "application/xml", "application/rss+xml", "text/xml")
            )
        ):
            if settings.CONG_PAGE_CACHE == "nginx":
                response["X-Accel-Expires"] = str(self._ttl(request))
            else:
                response[INTERNAL_HEADER] = str(self._ttl(request))
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, say so plainly (HTTP 503, in
    Vietnamese) instead of a generic error: forms are unavailable, pages
    already cached keep being served by the page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        from django.http import HttpResponse
        from django.template import loader

        body = loader.get_template("503.html").render({"is_form": request.method == "POST"})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
