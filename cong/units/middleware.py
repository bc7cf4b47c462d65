"""Resolve the portal of each request, and retire merged portals.

A merged unit's host name keeps answering: every address redirects
permanently to the successor's portal — to the explicit mapping where one
exists, to the archived copy of the same page (served by the successor under
``/luu-tru/<code>/``) where that page exists, and to the home page otherwise.
"""

from __future__ import annotations

import copy

from django.http import Http404, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from cong.core import cache_version
from cong.core.cache_version import LocalCache

from .models import Portal, PortalPathRedirect, PortalSettings, Unit
from .selectors import portal_for_site

PASS_THROUGH = ("/admin/", "/static/", "/media/", "/documents/", "/django-admin/", "/-/")
ARCHIVE_PREFIX = "/luu-tru/"


_SITES = LocalCache(512)
_SETTINGS = LocalCache(256)
_SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


def _lookup_site(hostname, port):
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    return {f: getattr(site, f) for f in _SITE_FIELDS}


def _site(request):
    """The Wagtail site of the request, from a process-local cache kept
    correct across processes by the ``portals`` cache version."""
    if not hasattr(request, "_cong_site"):
        try:
            hostname, port = split_domain_port(request.get_host())
        except Exception:  # noqa: BLE001 - DisallowedHost and malformed hosts
            hostname, port = "", ""
        port = port or ("443" if request.is_secure() else "80")
        version = cache_version.current(cache_version.PORTALS)
        row = _SITES.get_or_set((hostname, port), version, lambda: _lookup_site(hostname, port))
        site = Site(**row) if row else None
        request._cong_site = site
        # Wagtail's own lookups (routing, settings, URLs) reuse this one.
        request._wagtail_site = site
    return request._cong_site


def portal_settings(request):
    """The portal's settings for this request, without a query on a warm cache."""
    site = _site(request)
    if site is None:
        return None
    version = cache_version.current(cache_version.PORTALS)
    cached = _SETTINGS.get_or_set(site.pk, version, lambda: PortalSettings.for_site(site))
    instance = copy.copy(cached)
    instance._request = request
    instance._page_url_cache = {}
    setattr(request, PortalSettings.get_cache_attr_name(), instance)
    return instance


def _portal(request):
    return portal_for_site(_site(request))


def current_portal(request) -> Portal | None:
    """The portal serving this request (None for an unknown host with no default)."""
    return _portal(request)


def _route(portal: Portal, path: str):
    """The live page at ``path`` in the portal's tree, or None."""
    components = [c for c in path.split("/") if c]
    root = portal.site.root_page.specific
    try:
        page, _args, _kwargs = root.route(None, components)
    except Http404:
        return None
    return page if page.live else None


class PortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with cache_version.request_scope():
            return self._handle(request)

    def _handle(self, request):
        request.portal = SimpleLazyObject(lambda: _portal(request))
        path = request.path_info
        if not path.startswith(PASS_THROUGH):
            portal_settings(request)
            response = self._merged_redirect(request, path)
            if response is not None:
                return response
        return self.get_response(request)

    def _merged_redirect(self, request, path):
        portal = _portal(request)
        if portal is None or portal.unit.successor_id is None:
            return None
        unit: Unit = portal.unit
        mapping = (
            PortalPathRedirect.objects.filter(portal=portal, old_path__in=_path_variants(path))
            .select_related("target_page")
            .first()
        )
        if mapping is not None:
            return HttpResponsePermanentRedirect(mapping.destination())
        target_unit = unit.final_successor()
        target = Portal.objects.filter(unit=target_unit).select_related("site").first()
        if target is None:
            return None
        base = target.site.root_url
        if path != "/" and _route(portal, path) is not None:
            return HttpResponsePermanentRedirect(f"{base}{ARCHIVE_PREFIX}{unit.code}{path}")
        return HttpResponsePermanentRedirect(base + "/")


def _path_variants(path: str) -> list[str]:
    stripped = path.rstrip("/") or "/"
    return list({path, stripped, stripped + "/"})
