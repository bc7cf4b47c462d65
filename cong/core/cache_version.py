"""Versioned process-local caches that stay correct across processes.

Several server processes (gunicorn workers, several machines) each keep hot
data in memory: the site of a host name, a portal's settings, its menu, the
newest items. A change in one process must reach all of them at once, so
every such cache is keyed by a version number kept in the database, read
once per request (one indexed primary-key read) and bumped on commit by the
code that changes the data. With Redis or without it, no process serves a
menu older than the last publish.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.db import connection

CONTENT = "content"  # pages, menus, lists, site maps
PORTALS = "portals"  # sites, host names, portal settings, units

_ALL_READ = "\0all"  # memo key: every scope has been read once this request

# Versions read during the current request, so each is read once per request.
_memo: ContextVar[dict | None] = ContextVar("cong_cache_versions", default=None)


def _read(scope: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_cacheversion WHERE scope = %s", [scope])
        row = cursor.fetchone()
    return row[0] if row else 0


def _read_all() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT scope, value FROM core_cacheversion")
        return dict(cursor.fetchall())


def current(scope: str) -> int:
    """The version of ``scope``, read once per request (see ``request_scope``).

    Inside a request the first read fetches every scope at once (a handful
    of rows), so a page that varies on ``content`` and ``portals`` pays one
    query, not two.
    """
    memo = _memo.get()
    if memo is None:
        return _read(scope)
    if scope not in memo:
        if memo.get(_ALL_READ):
            memo[scope] = 0  # no row yet: what ``_read`` answers too
        else:
            memo.update(_read_all())
            memo[_ALL_READ] = True
            memo.setdefault(scope, 0)
    return memo[scope]


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Memoise versions for the duration of one request."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def bump(scope: str) -> None:
    """Invalidate every process's cache of ``scope``.

    The new version is written in the caller's transaction, so it becomes
    visible to other processes together with the change itself. It is a
    random number rather than an increment: a rolled-back version can never
    come back and match entries cached from uncommitted data.
    """
    value = secrets.randbits(62)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_cacheversion SET value = %s WHERE scope = %s", [value, scope])
        if cursor.rowcount == 0:
            cursor.execute("INSERT INTO core_cacheversion (scope, value) VALUES (%s, %s)", [scope, value])
    memo = _memo.get()
    if memo is not None:
        memo.pop(scope, None)
        memo.pop(_ALL_READ, None)  # the next read goes to the database again


class LocalCache:
    """A bounded, thread-safe, process-local LRU of values keyed by version."""

    def __init__(self, maxsize: int = 512):
        self.maxsize = maxsize
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_set(self, key: Any, version: int, compute: Callable[[], Any]) -> Any:
        full = (key, version)
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full]
        value = compute()
        with self._lock:
            self._data[full] = value
            self._data.move_to_end(full)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
