"""Resolve a public address to its page in one indexed query.

Wagtail's ``Page.route`` walks the tree one level at a time: for
``/tin-tuc-su-kien/mot-bai/`` it loads the home page, its specific row, the
section, its specific row, the item and its specific row — six queries and
as many model instances before anything is rendered. A page's ``url_path``
is its parent's plus its slug, and Wagtail keeps it up to date when a page
is saved or moved, so every page on the way is found at once by its
``url_path`` (an index added by ``content.0006``); only the page served is
then loaded as its specific type.

The walk keeps Wagtail's semantics:

* a page type that does not override ``route`` passes the request on to the
  child with the next slug, and serves itself when the path ends there,
  only if it is live (unpublished pages answer 404, their live children are
  still served, as in Wagtail);
* a ``RoutablePageMixin`` page answers a sub-route its resolver knows (only
  when live) and otherwise passes on to its children, as its own ``route``
  does; the page's own ``route`` then builds the result;
* any other page type that overrides ``route`` gets the rest of the path and
  routes it itself, exactly as Wagtail would call it.

Private pages, ``before_serve_page``/``on_serve_page`` hooks and previews
are untouched: the result is handed to Wagtail's own ``serve`` view through
``request._wagtail_route_for_request``, the attribute Wagtail caches its own
routing in. A page whose view restrictions are known (from the cached list
of restricted pages, ``restricted_paths``) not to apply answers
``get_view_restrictions`` without the two queries Wagtail spends on it.
"""

from __future__ import annotations

import contextlib
import copy

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import Resolver404
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from cong.core import cache_version
from cong.core.cache_version import LocalCache

_ROOTS = LocalCache(512)
_ROWS = LocalCache(4096)
_PAGES = LocalCache(2048)
_RESTRICTED = LocalCache(4)
_FIELDS = ("id", "path", "depth", "url_path", "title", "live", "content_type_id", "alias_of_id")


class NotHandled(Exception):
    """This address is left to Wagtail's own routing (an unusual tree)."""


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of every page carrying a view restriction (private
    sections), from a process-local cache keyed by the ``content`` version
    (bumped when a restriction is added, changed or removed, and when a page
    moves)."""

    def compute():
        return tuple(sorted(
            PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
        ))

    return _RESTRICTED.get_or_set("paths", cache_version.current(cache_version.CONTENT), compute)


def is_public_path(path: str) -> bool:
    """Whether no restricted page is the page at ``path`` or above it."""
    return not any(path.startswith(p) for p in restricted_paths())


def _root(site: Site) -> dict | None:
    """The site's root page in the active language (Wagtail's ``localized``),
    as a row of ``_FIELDS``."""
    language = translation.get_language()

    def compute():
        root = Page.objects.filter(pk=site.root_page_id).first()
        if root is None:
            return None
        root = root.localized
        return {f: getattr(root, f) for f in _FIELDS}

    return _ROOTS.get_or_set(
        (site.root_page_id, language), cache_version.current(cache_version.CONTENT), compute,
    )


def _model(row: dict):
    model = ContentType.objects.get_for_id(row["content_type_id"]).model_class()
    if model is None:
        raise NotHandled
    return model


def _specific(model, row: dict) -> Page:
    """The page served, as its own type; a type names the relations its
    template always reads in ``route_select_related`` (one query for all).
    Loaded once per ``content`` version (every publish, unpublish, move and
    deletion bumps it) and handed out as a copy, so that what one request
    sets on its page stays with that request."""

    def compute():
        queryset = model.objects.all()
        related = getattr(model, "route_select_related", ())
        if related:
            queryset = queryset.select_related(*related)
        return queryset.get(pk=row["id"])

    page = _PAGES.get_or_set((model._meta.label, row["id"]), cache_version.current(cache_version.CONTENT), compute)
    return copy.copy(page)


def _routable_match(model, path_components: list[str]) -> bool:
    path = "/" + "".join(f"{c}/" for c in path_components)
    try:
        model.get_resolver().resolve(path)
    except Resolver404:
        return False
    return True


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


def _annotate(page: Page, chain: list[dict]) -> Page:
    """Keep what routing learnt on the page: its ancestors in the portal
    (for the breadcrumb) and, when it is so, that no restriction applies."""
    page._cong_route_ancestors = chain
    if (
        chain and chain[0]["depth"] <= 2  # nothing above the portal's root but the tree's root
        and page.alias_of_id is None
        and not any(row["alias_of_id"] for row in chain)
        and is_public_path(page.path)
    ):
        page.get_view_restrictions = _no_view_restrictions
    return page


def route(request, path: str) -> RouteResult | None:
    """What Wagtail's ``Page.route_for_request`` answers for ``path``: a
    ``RouteResult`` or None (404). Raises ``NotHandled`` where Wagtail's own
    walk should decide."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = _root(site)
    if root is None:
        raise NotHandled
    components = [c for c in path.split("/") if c]
    candidates = []
    for c in components:
        candidates.append((candidates[-1] if candidates else root["url_path"]) + c + "/")
    by_url = {}
    if candidates:

        def compute():
            rows = Page.objects.filter(url_path__in=candidates, path__startswith=root["path"]).values(*_FIELDS)
            return {row["url_path"]: row for row in rows}

        by_url = _ROWS.get_or_set((root["path"], candidates[-1]), cache_version.current(cache_version.CONTENT),
                                  compute)
    chain = [root]
    for candidate in candidates:
        row = by_url.get(candidate)
        if row is None:
            break
        chain.append(row)
    try:
        for level, row in enumerate(chain):
            model = _model(row)
            remaining = components[level:]
            route_method = model.route
            if route_method is RoutablePageMixin.route:
                if row["live"] and _routable_match(model, remaining):
                    page = _annotate(_specific(model, row), chain[:level])
                    return page.route(request, remaining)
            elif route_method is not Page.route:
                page = _annotate(_specific(model, row), chain[:level])
                return page.route(request, remaining)
            if not remaining:
                if not row["live"]:
                    return None
                return RouteResult(_annotate(_specific(model, row), chain[:level]))
            if level + 1 == len(chain):
                return None  # no child with the next slug
    except Http404:
        return None
    return None


def serve(request, path):
    """Wagtail's ``serve`` view, routed by ``route`` above."""
    if not hasattr(request, "_wagtail_route_for_request"):
        # NotHandled: nothing is cached, Wagtail's own walk decides
        with contextlib.suppress(NotHandled):
            request._wagtail_route_for_request = route(request, path)
    return wagtail_views.serve(request, path)
