"""The page cache of the embedded default: anonymous pages served before
Django, shared by every server process of one machine, purged exactly.

A Django middleware (``PageCacheMarkMiddleware``) decides that a response may
be cached and says so in an internal header; the WSGI layer (``PageCache``,
wrapped around the application in config/wsgi.py) stores it on disk and
answers later requests for the same host, path and query without running
Django. Publishing purges exactly the pages a change affects: the item, the
sections above it (every page and filter of their lists), the home page, the
feeds and the XML site map; a change to a portal's menu, settings or the
network purges that portal or every portal.

When the application fails (the database is down), an expired copy is served
with a notice instead of an error page.

Production with several machines uses nginx's proxy cache instead (see
docs/deployment.md); set ``CONG_PAGE_CACHE=off`` there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from email.utils import formatdate
from pathlib import Path

INTERNAL_HEADER = "X-Cong-Page-Cache"
NOT_CACHED_PREFIXES = ("/admin/", "/-/", "/static/", "/media/", "/documents/", "/tim-kiem/", "/django-admin/")
STALE_FOR_SECONDS = 7 * 24 * 3600


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _host(value: str) -> str:
    host = (value or "").strip().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


class Store:
    """Entries on disk: ``<root>/<host>/<sha(path)>/<sha(query)>``."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _dir(self, host: str, path: str) -> Path:
        return self.root / _host(host) / _h(path)

    def _file(self, host: str, path: str, query: str) -> Path:
        return self._dir(host, path) / _h(query)

    def get(self, host: str, path: str, query: str):
        try:
            with open(self._file(host, path, query), "rb") as f:
                raw = f.read()
        except OSError:
            return None
        head_len = int.from_bytes(raw[:4], "big")
        head = json.loads(raw[4 : 4 + head_len])
        return head, raw[4 + head_len :]

    def put(self, host: str, path: str, query: str, status: str, headers: list, body: bytes, ttl: int):
        target = self._file(host, path, query)
        target.parent.mkdir(parents=True, exist_ok=True)
        head = json.dumps({"status": status, "headers": headers, "stored": time.time(), "ttl": ttl,
                           "path": path}).encode()
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            f.write(len(head).to_bytes(4, "big") + head + body)
        os.replace(tmp, target)

    def purge_paths(self, host: str, paths) -> None:
        for path in paths:
            shutil.rmtree(self._dir(host, path), ignore_errors=True)

    def purge_host(self, host: str) -> None:
        shutil.rmtree(self.root / _host(host), ignore_errors=True)

    def purge_all(self) -> None:
        if self.root.exists():
            for child in self.root.iterdir():
                shutil.rmtree(child, ignore_errors=True)


def default_store() -> Store | None:
    from django.conf import settings

    if getattr(settings, "CONG_PAGE_CACHE", "off") != "file":
        return None
    return Store(settings.CONG_PAGE_CACHE_DIR)


# --- purging (called from the content and units apps) -------------------------

# Other caches in front of the application (nginx's proxy cache, see
# cong.ops.frontend_cache) register here and receive the same purge lists:
# ``listener(site, paths)``; ``paths`` None means every page of ``site``,
# ``site`` None every site. A listener with an ``active()`` attribute is
# skipped (and the lists not computed for it) while that returns False.
_purge_listeners: list = []


def _active_listeners() -> list:
    return [fn for fn in _purge_listeners if getattr(fn, "active", lambda: True)()]


def add_purge_listener(listener) -> None:
    if listener not in _purge_listeners:
        _purge_listeners.append(listener)


def _notify(site, paths) -> None:
    for listener in _active_listeners():
        listener(site, paths)


def affected_paths(page):
    """``(site, paths)`` a change to ``page`` affects: the item, the sections
    above it and their feeds, the home page, the portal feed and the site map.
    ``paths`` is None when the whole site shows the change (the home page or a
    section of the menu); ``site`` is None when the page belongs to no site."""
    site = page.get_site()
    if site is None:
        return None, None
    root_path = site.root_page.url_path
    if page.depth <= site.root_page.depth + 1:
        return site, None
    paths = {"/", "/rss.xml", "/sitemap.xml"}
    for ancestor in page.get_ancestors(inclusive=True).filter(depth__gt=site.root_page.depth):
        rel = ancestor.url_path[len(root_path) - 1 :]
        paths.update({rel, rel + "rss/"})
    return site, paths


def purge_for_page(page) -> None:
    """Purge what publishing, unpublishing or moving ``page`` changes."""
    store = default_store()
    if store is None and not _active_listeners():
        return
    site, paths = affected_paths(page)
    if site is None:
        return
    if store is not None:
        if paths is None:
            store.purge_host(site.hostname)
        else:
            store.purge_paths(site.hostname, paths)
    _notify(site, paths)


def purge_site(site) -> None:
    store = default_store()
    if store is not None:
        store.purge_host(site.hostname)
    _notify(site, None)


def purge_all() -> None:
    store = default_store()
    if store is not None:
        store.purge_all()
    _notify(None, None)


# --- the WSGI layer -----------------------------------------------------------------

STALE_NOTICE = (
    '<div class="notice notice--stale" role="status">Hệ thống đang bảo trì. Bạn đang xem bản '
    "lưu của trang lúc {when}; các biểu mẫu tạm thời không sử dụng được.</div>"
)


def _stale_body(body: bytes, stored: float) -> bytes:
    when = time.strftime("%H:%M ngày %d/%m/%Y", time.localtime(stored))
    notice = STALE_NOTICE.format(when=when).encode()
    marker = body.find(b"<body")
    if marker == -1:
        return notice + body
    end = body.find(b">", marker)
    return body[: end + 1] + notice + body[end + 1 :]


class PageCache:
    """WSGI middleware: serve cached anonymous pages, store marked responses."""

    def __init__(self, app, store: Store | None):
        self.app = app
        self.store = store

    def __call__(self, environ, start_response):
        store = self.store
        if store is None:
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        cookies = environ.get("HTTP_COOKIE", "")
        cacheable_request = (
            method in ("GET", "HEAD")
            and not path.startswith(NOT_CACHED_PREFIXES)
            and "sessionid" not in cookies
        )
        if not cacheable_request:
            return self.app(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        query = environ.get("QUERY_STRING", "")
        entry = store.get(host, path, query)
        now = time.time()
        if entry is not None:
            head, body = entry
            if now - head["stored"] < head["ttl"]:
                headers = [*map(tuple, head["headers"]), ("X-Cache", "HIT"),
                           ("Age", str(int(now - head["stored"])))]
                start_response(head["status"], headers)
                return [b"" if method == "HEAD" else body]

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None  # write() is not used by Django

        try:
            chunks = self.app(environ, capture)
            body = b"".join(chunks)
            if hasattr(chunks, "close"):
                chunks.close()
        except Exception:
            if entry is not None and now - entry[0]["stored"] < STALE_FOR_SECONDS:
                return self._serve_stale(entry, method, start_response)
            raise
        status = captured["status"]
        headers = captured["headers"]
        marker = next((v for k, v in headers if k == INTERNAL_HEADER), None)
        headers = [(k, v) for k, v in headers if k != INTERNAL_HEADER]
        if status.startswith("5") and entry is not None and now - entry[0]["stored"] < STALE_FOR_SECONDS:
            return self._serve_stale(entry, method, start_response)
        if marker and status.startswith("200"):
            stored_headers = [(k, v) for k, v in headers if k.lower() not in ("set-cookie", "date")]
            store.put(host, path, query, status, stored_headers, body, int(marker))
        start_response(status, [*headers, ("X-Cache", "MISS")])
        return [b"" if method == "HEAD" else body]

    def _serve_stale(self, entry, method, start_response):
        head, body = entry
        body = _stale_body(body, head["stored"])
        headers = [(k, v) for k, v in map(tuple, head["headers"]) if k.lower() != "content-length"]
        headers += [("Content-Length", str(len(body))), ("X-Cache", "STALE"),
                    ("Date", formatdate(usegmt=True)), ("Cache-Control", "no-store")]
        start_response("200 OK", headers)
        return [b"" if method == "HEAD" else body]
