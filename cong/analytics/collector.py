"""The beacon collector: validation, anonymous visitor hashes, and the
write buffer.

A beacon costs the request a parse, a hash and an append of a tuple to a
per-process buffer (no model instance, settings and user-agent classes
cached). A background thread of each server process writes the buffer in
batches (one ``executemany`` INSERT per batch); under overload — the buffer
full because the database is slow or down — beacons are refused with a 503
and *counted* (``CollectorCount`` ``dropped``), never lost silently. A worker
that exits gracefully waits for a write in progress and flushes the rest.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import json
import logging
import re
import secrets
import threading
import time
from collections import Counter
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import CollectorCount, DailySalt, Event

logger = logging.getLogger("cong.analytics")
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

ACCEPTED = "accepted"
DROPPED = "dropped"
MALFORMED = "malformed"
OVERSIZED = "oversized"
IGNORED = "ignored"

_PID = re.compile(r"^[A-Za-z0-9]{8,16}$")
_BOT = re.compile(
    r"bot|crawl|spider|slurp|scrap|fetch|headless|lighthouse|pingdom|monitor|preview|"
    r"curl|wget|python|java/|go-http|okhttp|axios|node-fetch|httpclient|facebookexternalhit|zalo.*link",
    re.I,
)
_TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|(android(?!.*mobile))", re.I)
_MOBILE = re.compile(r"mobi|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone", re.I)


_settings: dict[str, object] = {}


def setting(name: str, default):
    """``settings.CONG_ANALYTICS_<name>``, read once per process (a missing
    setting costs an exception on every lookup otherwise)."""
    try:
        return _settings[name]
    except KeyError:
        value = _settings[name] = getattr(settings, f"CONG_ANALYTICS_{name}", default)
        return value


def _forget_settings(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONG_ANALYTICS_") or setting == "CONG_TRUSTED_PROXIES":
        _settings.clear()


setting_changed.connect(_forget_settings)


def local_day(when: dt.datetime) -> dt.date:
    return when.astimezone(LOCAL_TZ).date()


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(_BOT.search(user_agent))


def device_class(user_agent: str) -> str:
    if _TABLET.search(user_agent):
        return "tablet"
    if _MOBILE.search(user_agent):
        return "mobile"
    return "desktop"


@functools.lru_cache(maxsize=4096)
def agent_class(user_agent: str) -> str:
    """"bot", or the device class of a user agent (cached: a portal's
    readers use a few hundred browsers; the cache is bounded)."""
    return "bot" if is_bot(user_agent) else device_class(user_agent)


# --- the daily salt ----------------------------------------------------------

_salts: dict[dt.date, str] = {}
_salt_lock = threading.Lock()


def salt_for(day: dt.date) -> str:
    """The random salt of ``day``: made by the first process that needs it,
    shared through the database, deleted by the prune job after the day."""
    value = _salts.get(day)
    if value is not None:
        return value
    with _salt_lock:
        value = _salts.get(day)
        if value is None:
            try:
                row, _ = DailySalt.objects.get_or_create(day=day, defaults={"value": secrets.token_hex(32)})
            except IntegrityError:
                row = DailySalt.objects.get(day=day)
            value = row.value
            for old in [d for d in _salts if d < day]:
                del _salts[old]
            _salts[day] = value
    return value


def visitor_hash(day: dt.date, portal_id: int, ip: str, user_agent: str) -> str:
    raw = f"{salt_for(day)}\x00{portal_id}\x00{ip}\x00{user_agent}"
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:16]


# --- parsing -------------------------------------------------------------------


class BadBeacon(Exception):
    def __init__(self, reason: str = MALFORMED):
        super().__init__(reason)
        self.reason = reason


def referrer_host(referrer: str, own_host: str) -> str:
    """The referring host name only; '' for direct visits and own pages."""
    if not referrer:
        return ""
    try:
        host = (urlsplit(referrer).hostname or "").lower()
    except ValueError:
        return ""
    if host == own_host:
        return ""
    return host[:255]


def parse_beacon(body: bytes) -> dict:
    """Validate a beacon body; raise ``BadBeacon``."""
    if len(body) > setting("MAX_BEACON_BYTES", 2048):
        raise BadBeacon(OVERSIZED)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBeacon() from exc
    if not isinstance(data, dict) or not set(data) <= {"t", "id", "u", "r", "e"}:
        raise BadBeacon()
    pid = data.get("id")
    if not isinstance(pid, str) or not _PID.match(pid):
        raise BadBeacon()
    kind = data.get("t")
    if kind == "p":
        url, ref = data.get("u"), data.get("r", "")
        if not isinstance(url, str) or not isinstance(ref, str) or len(url) > 1024 or len(ref) > 1024:
            raise BadBeacon()
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise BadBeacon() from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadBeacon()
        path = parts.path or "/"
        if len(path) > 512:
            raise BadBeacon()
        return {"kind": "p", "pageview": pid, "host": parts.hostname.lower(), "path": path, "referrer": ref}
    if kind == "h":
        engaged = data.get("e")
        if isinstance(engaged, bool) or not isinstance(engaged, int) or not 0 <= engaged <= 86400:
            raise BadBeacon()
        return {"kind": "h", "pageview": pid, "engaged": engaged}
    raise BadBeacon()


# --- the buffer ----------------------------------------------------------------


class Row(NamedTuple):
    """One accepted beacon, as the buffer holds it (the columns of ``Event``)."""

    portal_id: int
    day: dt.date
    ts: dt.datetime
    kind: str
    visitor: str
    pageview: str
    path: str = ""
    referrer: str = ""
    device: str = ""
    engaged: int = 0


_INSERT = None


def insert_rows(rows: list[Row]) -> None:
    """Write buffered rows with one ``executemany`` (no model instances)."""
    global _INSERT
    if _INSERT is None:
        table = connection.ops.quote_name(Event._meta.db_table)
        names = ", ".join(connection.ops.quote_name(Event._meta.get_field(f).column) for f in Row._fields)
        _INSERT = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(Row._fields))})"  # noqa: S608
    ops = connection.ops
    params = [
        (r.portal_id, ops.adapt_datefield_value(r.day), ops.adapt_datetimefield_value(r.ts), r.kind, r.visitor,
         r.pageview, r.path, r.referrer, r.device, r.engaged)
        for r in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(_INSERT, params[start:start + 5000])


class Buffer:
    """Events waiting to be written, and the counters of this process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.writing = threading.Lock()  # one write at a time; exit waits for it
        self.events: list[Row] = []
        self.counts: Counter = Counter()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def count(self, name: str, day: dt.date | None = None, n: int = 1) -> None:
        day = day or local_day(timezone.now())
        with self.lock:
            self.counts[(day, name)] += n

    def add(self, event: Row) -> bool:
        """Queue an event; False (and counted) when the buffer is full."""
        limit = setting("BUFFER_MAX", 100_000)
        with self.lock:
            if len(self.events) >= limit:
                self.counts[(event.day, DROPPED)] += 1
                return False
            self.events.append(event)
            self.counts[(event.day, ACCEPTED)] += 1
            size = len(self.events)
        interval = setting("FLUSH_SECONDS", 1.0)
        if interval and interval > 0:
            self._ensure_thread(interval)
            if size >= setting("FLUSH_SIZE", 500):
                self.wake.set()
        elif size >= setting("FLUSH_SIZE", 500):
            self.flush()
        return True

    def flush(self) -> int:
        """Write what is buffered; return the number of events written."""
        with self.writing:
            with self.lock:
                events, self.events = self.events, []
                counts, self.counts = self.counts, Counter()
            if not events and not counts:
                return 0
            try:
                with transaction.atomic():
                    insert_rows(events)
                    _add_counts(counts)
            except Exception:
                logger.exception("analytics: writing %d events failed; kept for the next try", len(events))
                self._put_back(events, counts)
                raise
            return len(events)

    def _put_back(self, events: list[Row], counts: Counter) -> None:
        limit = setting("BUFFER_MAX", 100_000)
        with self.lock:
            room = max(limit - len(self.events), 0)
            kept = events[:room]
            for ev in events[room:]:
                counts[(ev.day, DROPPED)] += 1
            self.events = kept + self.events
            self.counts.update(counts)

    def _ensure_thread(self, interval: float) -> None:
        if self.thread is not None and self.thread.is_alive():
            return
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.thread = threading.Thread(
                target=self._run, args=(interval,), name="cong-analytics-flush", daemon=True,
            )
            self.thread.start()

    def _run(self, interval: float) -> None:
        while True:
            self.wake.wait(interval)
            self.wake.clear()
            try:
                close_old_connections()
                self.flush()
            except Exception:  # noqa: BLE001 - the database may be down: keep buffering, retry later
                time.sleep(interval)


def _add_counts(counts: Counter) -> None:
    for (day, name), n in counts.items():
        if not CollectorCount.objects.filter(day=day, name=name).update(count=F("count") + n):
            try:
                with transaction.atomic():
                    CollectorCount.objects.create(day=day, name=name, count=n)
            except IntegrityError:
                CollectorCount.objects.filter(day=day, name=name).update(count=F("count") + n)


buffer = Buffer()


@atexit.register
def _flush_at_exit() -> None:
    """A worker stopping gracefully writes what it holds (after the write
    the flush thread may have in progress: ``flush`` takes the same lock)."""
    try:
        buffer.flush()
    except Exception:
        logger.exception("analytics: final flush failed")


# --- accepting a beacon (shared by the WSGI fast path and the Django view) -----

_hosts: dict[str, int] = {}
_hosts_loaded = 0.0
HOSTS_TTL_SECONDS = 60


def portal_id_for_host(host: str) -> int | None:
    """The portal whose own host name ``host`` is (process-local map,
    refreshed every minute: a new portal is counted within a minute)."""
    global _hosts, _hosts_loaded
    now = time.monotonic()
    if now - _hosts_loaded > HOSTS_TTL_SECONDS:
        from cong.units.models import Portal

        _hosts = {h.lower(): pk for pk, h in Portal.objects.values_list("pk", "site__hostname")}
        _hosts_loaded = now
    return _hosts.get(host)


def forget_hosts() -> None:
    global _hosts_loaded
    _hosts_loaded = 0.0


def _trusted_proxies():
    try:
        return _settings["CONG_TRUSTED_PROXIES"]
    except KeyError:
        value = _settings["CONG_TRUSTED_PROXIES"] = getattr(settings, "CONG_TRUSTED_PROXIES", ())
        return value


def client_ip(remote: str, forwarded: str) -> str:
    """The client's address; X-Forwarded-For only from trusted proxies
    (the rule of cong.core.abuse.client_ip)."""
    if forwarded and remote in _trusted_proxies():
        return forwarded.split(",")[-1].strip()
    return remote


def accept(*, host: str, ip: str, user_agent: str, dnt: str, origin: str, body: bytes) -> int:
    """Validate and queue one beacon; return the HTTP status: 204 accepted
    or ignored, 400 malformed or oversized, 503 dropped because the buffer is
    full. Every outcome is counted."""
    try:
        beacon = parse_beacon(body)
    except BadBeacon as exc:
        buffer.count(exc.reason)
        return 400
    portal_id = portal_id_for_host(host)
    if origin and origin != "null":
        try:
            origin_host = (urlsplit(origin).hostname or "").lower()
        except ValueError:
            origin_host = ""
        if origin_host != host:
            portal_id = None
    if (
        portal_id is None or dnt == "1" or agent_class(user_agent) == "bot"
        or (beacon["kind"] == "p" and beacon["host"] != host)
    ):
        buffer.count(IGNORED)
        return 204
    return 204 if buffer.add(make_event(portal_id, ip, user_agent, beacon, host)) else 503


def make_event(portal_id: int, ip: str, user_agent: str, beacon: dict, host: str) -> Row:
    now = timezone.now()
    day = local_day(now)
    visitor = visitor_hash(day, portal_id, ip, user_agent)
    if beacon["kind"] == "p":
        return Row(portal_id, day, now, "p", visitor, beacon["pageview"], beacon["path"],
                   referrer_host(beacon.get("referrer", ""), host), agent_class(user_agent))
    return Row(portal_id, day, now, "h", visitor, beacon["pageview"], engaged=beacon["engaged"])
