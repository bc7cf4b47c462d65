"""Sign-in lockout with back-off, per account and client, resistant to
lock-out abuse.

Three counters are kept (``LoginThrottle``, hashed keys):

- **pair** (account × client): after ``PAIR_LIMIT`` failures the pair waits
  ``BASE_SECONDS``, doubling with each further lockout up to ``PAIR_MAX_SECONDS``.
  A guesser is slowed down; the real editor, from another client, is not.
- **client**: a client trying many accounts (spraying) is locked the same way
  after ``CLIENT_LIMIT`` failures.
- **account** across all clients (a distributed attack): after
  ``ACCOUNT_LIMIT`` failures the account is held back only briefly
  (``ACCOUNT_MAX_SECONDS``), and a client that has signed in to this account
  successfully before (a signed cookie) is never held back by it — so an
  attacker cannot lock a real editor out for long.

django-axes locks by username, address, or their combination, with a fixed
cool-off; it has neither back-off nor the known-client exemption, which is why
this small module exists. A successful sign-in clears the pair's counter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cong.core.abuse import client_ip

PAIR_LIMIT = 5
CLIENT_LIMIT = 20
ACCOUNT_LIMIT = 50
WINDOW_SECONDS = 15 * 60
BASE_SECONDS = 60
PAIR_MAX_SECONDS = 15 * 60
CLIENT_MAX_SECONDS = 60 * 60
ACCOUNT_MAX_SECONDS = 5 * 60
KNOWN_CLIENT_COOKIE = "cong_known_client"


@dataclass(frozen=True)
class Scope:
    name: str
    limit: int
    max_seconds: int


SCOPES = {
    "pair": Scope("pair", PAIR_LIMIT, PAIR_MAX_SECONDS),
    "client": Scope("client", CLIENT_LIMIT, CLIENT_MAX_SECONDS),
    "account": Scope("account", ACCOUNT_LIMIT, ACCOUNT_MAX_SECONDS),
}


def _hash(*parts: str) -> str:
    raw = ":".join([settings.SECRET_KEY, *parts])
    return hashlib.sha256(raw.encode()).hexdigest()


def _norm(username: str) -> str:
    return (username or "").strip().lower()[:150]


def keys_for(username: str, request) -> dict[str, str]:
    ip = client_ip(request) if request is not None else ""
    user = _norm(username)
    return {
        "pair": _hash("pair", user, ip),
        "client": _hash("client", ip),
        "account": _hash("account", user),
    }


def is_known_client(username: str, request) -> bool:
    if request is None:
        return False
    value = request.get_signed_cookie(KNOWN_CLIENT_COOKIE, default=None, salt="cong.security")
    return value == _hash("known", _norm(username))[:32]


def known_client_cookie_value(username: str) -> str:
    return _hash("known", _norm(username))[:32]


def locked_for(username: str, request, *, now: dt.datetime | None = None) -> int:
    """Seconds the sign-in must wait; 0 when it may be tried."""
    from .models import LoginThrottle

    keys = keys_for(username, request)
    if is_known_client(username, request):
        keys.pop("account")
    now = now or timezone.now()
    rows = LoginThrottle.objects.filter(key__in=keys.values(), locked_until__gt=now)
    waits = [int((r.locked_until - now).total_seconds()) + 1 for r in rows]
    return max(waits, default=0)


def failure(username: str, request, *, now: dt.datetime | None = None) -> tuple[bool, int]:
    """Count a failure; return (a lockout began, seconds locked)."""
    from .models import LoginThrottle

    now = now or timezone.now()
    began, longest = False, 0
    with transaction.atomic():
        for scope_name, key in keys_for(username, request).items():
            scope = SCOPES[scope_name]
            row, _ = LoginThrottle.objects.select_for_update().get_or_create(
                key=key, defaults={"scope": scope_name, "window_started": now}
            )
            if (now - row.window_started).total_seconds() > WINDOW_SECONDS and not (
                row.locked_until and row.locked_until > now
            ):
                row.failures = 0
                row.window_started = now
                if row.locked_until and (now - row.locked_until).total_seconds() > WINDOW_SECONDS * 4:
                    row.lockouts = 0
            row.failures += 1
            if row.failures >= scope.limit:
                seconds = min(BASE_SECONDS * (2 ** row.lockouts), scope.max_seconds)
                row.locked_until = now + dt.timedelta(seconds=seconds)
                row.lockouts += 1
                row.failures = 0
                row.window_started = now
                began = True
                longest = max(longest, seconds)
            row.save()
    return began, longest


def guesses_allowed(seconds: int, *, accounts: int = 1, start: dt.datetime | None = None,
                    ip: str = "198.51.100.250") -> int:
    """How many passwords one client gets checked in ``seconds`` when it
    guesses as fast as it can (cycling through ``accounts`` accounts), run
    through the real counters with a simulated clock. For the benchmark."""
    from django.test import RequestFactory

    from .models import LoginThrottle

    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    used = set()
    for i in range(accounts):
        used.update(keys_for(f"bench-guess-{i}", request).values())
    LoginThrottle.objects.filter(key__in=used).delete()  # start from a clean slate
    t = start or timezone.now()
    end = t + dt.timedelta(seconds=seconds)
    checked = 0
    while t < end:
        username = f"bench-guess-{checked % accounts}"
        wait = locked_for(username, request, now=t)
        if wait:
            t += dt.timedelta(seconds=wait)
            continue
        failure(username, request, now=t)
        checked += 1
        t += dt.timedelta(milliseconds=100)
    return checked


def success(username: str, request) -> None:
    from .models import LoginThrottle

    LoginThrottle.objects.filter(key=keys_for(username, request)["pair"]).delete()
