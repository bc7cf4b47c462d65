"""A Redis cache that degrades instead of failing.

When Redis is down or slow, Django's ``RedisCache`` raises on every call and
every page fails. ``ResilientRedisCache`` answers as an empty cache instead
— reads miss, writes are dropped — so the site falls back to the database
(sessions are ``cached_db``) and recovers by itself when Redis returns. The
outage is logged once per ``LOG_EVERY`` seconds, not once per call, and
``/-/ready`` still reports the cache as failing (it checks a value round
trip, not the absence of errors).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY = 30.0


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # Fail fast: a page must not wait for a dead cache.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, params)

    def _down(self, exc, operation):
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged > LOG_EVERY:
            ResilientRedisCache._last_logged = now
            logger.warning("cache unavailable (%s during %s); serving without it", exc, operation)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except DOWN as exc:
            # As if added: what uses add() (the proof of work's used-challenge
            # mark) fails open like the rate limits, so citizens can still
            # submit forms while Redis is down (cong.core.abuse).
            self._down(exc, "add")
            return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except DOWN as exc:
            self._down(exc, "get")
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except DOWN as exc:
            self._down(exc, "set")

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except DOWN as exc:
            self._down(exc, "touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except DOWN as exc:
            self._down(exc, "delete")
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except DOWN as exc:
            self._down(exc, "get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except DOWN as exc:
            self._down(exc, "has_key")
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except DOWN as exc:
            # Rate limits fail open while the counters are unreachable.
            self._down(exc, "incr")
            return 0

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except DOWN as exc:
            self._down(exc, "set_many")
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except DOWN as exc:
            self._down(exc, "delete_many")
            return False

    def clear(self):
        try:
            return super().clear()
        except DOWN as exc:
            self._down(exc, "clear")
            return False
