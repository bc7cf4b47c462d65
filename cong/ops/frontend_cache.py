"""Purging nginx's proxy cache through Wagtail's frontend-cache invalidation.

The page cache of the embedded default (cong.core.page_cache) decides which
pages a change affects — the item, the sections above it and their feeds,
the home page, the portal feed, the site map; every page of a portal when
its menu or settings change. This module receives the same lists and sends
them to the reverse proxies configured in ``WAGTAILFRONTENDCACHE`` (Wagtail's
``HTTPBackend``: one ``PURGE`` request per URL with the portal's host name,
answered by nginx's cache-purge module; see deploy/nginx/).

The purge is queued as a task (Wagtail's own) after the transaction commits,
so no server re-caches the old page between the purge and the commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _language_variants(paths):
    """Each path, and the same path under every non-default language prefix
    (``/en/…``); the default language has no prefix (i18n_patterns)."""
    prefixes = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    out = set(paths)
    for code in prefixes:
        out.update(f"/{code}{path}" for path in paths)
    return out


def site_paths(site) -> set[str]:
    """Every cacheable path of ``site``: its live pages, their feeds, the
    portal feed and the site map."""
    from wagtail.models import Page

    root = site.root_page
    root_path = root.url_path
    paths = {"/", "/rss.xml", "/sitemap.xml", "/robots.txt"}
    for url_path in (
        Page.objects.live().descendant_of(root, inclusive=True).values_list("url_path", flat=True)
    ):
        rel = url_path[len(root_path) - 1 :]
        paths.update({rel, rel + "rss/"})
    return paths


def urls_for(site, paths) -> list[str]:
    """Absolute URLs to purge for ``site`` (``paths`` None: the whole site)."""
    if paths is None:
        paths = site_paths(site)
    base = site.root_url.rstrip("/")
    return sorted(base + path for path in _language_variants(paths))


def purge_listener(site, paths) -> None:
    """Receives the purge lists of cong.core.page_cache."""
    if not configured():
        return
    from wagtail.models import Site

    sites = [site] if site is not None else list(Site.objects.select_related("root_page"))
    urls = [url for s in sites for url in urls_for(s, paths)]
    if not urls:
        return

    def send():
        from wagtail.contrib.frontend_cache.utils import PurgeBatch

        PurgeBatch(urls).purge()

    transaction.on_commit(send)
