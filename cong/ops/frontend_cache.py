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

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

logger = logging.getLogger(__name__)


class NginxPurgeBackend(HTTPBackend):
    """Wagtail's HTTPBackend for nginx's cache-purge module: "not in the
    cache" (404) is the normal answer for a page nobody visited since the
    last purge, not an error; a proxy that cannot be reached is logged once
    per batch and the rest of the batch is not attempted."""

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        for url in urls:
            parts = urlsplit(url)
            host = parts.hostname + (f":{parts.port}" if parts.port else "")
            request = PurgeRequest(
                url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
                headers={"Host": host, "User-Agent": "Cong-frontendcache"},
            )
            try:
                urlopen(request, timeout=5).close()  # noqa: S310 - scheme from settings
            except HTTPError as e:
                if e.code != 404:
                    logger.error("purge of %s refused by nginx: %s %s", url, e.code, e.reason)
            except (URLError, OSError) as e:
                logger.error("nginx at %s unreachable, %d purge(s) not sent: %s",
                             self.cache_netloc, len(urls), e)
                return


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

        try:
            PurgeBatch(urls).purge()
        except Exception:
            # The task queue is down (Redis): the pages expire by their TTL.
            logger.exception("purge of %d URL(s) could not be queued", len(urls))

    transaction.on_commit(send)


# cong.core.page_cache computes the purge lists for this listener only when
# nginx purging is configured.
purge_listener.active = configured
