"""Resolve the portal of each request, and retire merged portals.

A merged unit's host name keeps answering: every address redirects
permanently to the successor's portal — to the explicit mapping where one
exists, to the archived copy of the same page (served by the successor under
``/luu-tru/<code>/``) where that page exists, and to the home page otherwise.
"""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .models import Portal, PortalPathRedirect, Unit
from .selectors import portal_for_site

PASS_THROUGH = ("/admin/", "/static/", "/media/", "/documents/", "/django-admin/", "/-/")
ARCHIVE_PREFIX = "/luu-tru/"


def _site(request):
    if not hasattr(request, "_cong_site"):
        request._cong_site = Site.find_for_request(request)
    return request._cong_site


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
        request.portal = SimpleLazyObject(lambda: _portal(request))
        path = request.path_info
        if not path.startswith(PASS_THROUGH):
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
