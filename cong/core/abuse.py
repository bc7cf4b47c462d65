"""Protection of public forms against floods and robots, without a third party.

- **Rate limits** per client through django-ratelimit (cache counters; shared
  across servers with Redis, per process with the embedded local-memory cache).
- **Proof of work** through ALTCHA's open protocol (the ``altcha`` library,
  SHA-256): the page asks ``/-/pow/`` for a signed challenge, a small script
  of ours (``design_system/js/pow.js``) finds the number, and the server
  checks the signature, the expiry, and that the challenge was not used
  before. No script, font or request leaves the portal.

Views call ``check_rate`` and ``check_pow``; a refused request gets HTTP 429
with a Vietnamese explanation (``too_many_requests``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import altcha
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

POW_FIELD = "pow"
POW_TTL_SECONDS = 600


def client_ip(request: HttpRequest) -> str:
    """The client's address; X-Forwarded-For only from trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in getattr(settings, "CONG_TRUSTED_PROXIES", ()):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return remote


def client_key(group: str, request: HttpRequest) -> str:
    """A hashed client key for rate limits: raw addresses are not stored."""
    raw = f"{settings.SECRET_KEY}:{client_ip(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def check_rate(request: HttpRequest, scope: str, rate: str, *, increment: bool = True) -> bool:
    """True when the client may go on; False once it exceeds ``rate`` (e.g. "5/m")."""
    if not getattr(settings, "CONG_RATELIMIT_ENABLED", True):
        return True
    return not is_ratelimited(
        request, group=f"cong:{scope}", key=client_key, rate=rate, method=ALL,
        increment=increment,
    )


def too_many_requests(request: HttpRequest, retry_after: int = 60) -> HttpResponse:
    body = render_to_string("core/too_many_requests.html", {"retry_after": retry_after}, request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _hmac_key() -> str:
    return hashlib.sha256(f"pow:{settings.SECRET_KEY}".encode()).hexdigest()


def pow_challenge(max_number: int | None = None) -> dict:
    """A new signed challenge, valid for ten minutes."""
    challenge = altcha.create_challenge_v1(
        algorithm="SHA-256",
        max_number=max_number or getattr(settings, "CONG_POW_MAX_NUMBER", 50_000),
        hmac_key=_hmac_key(),
        expires=dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=POW_TTL_SECONDS),
    )
    return challenge.to_dict()


def check_pow(payload: str | None) -> bool:
    """True for a correct, unexpired solution whose challenge is used once."""
    if not getattr(settings, "CONG_POW_ENABLED", True):
        return True
    if not payload or len(payload) > 4096:
        return False
    ok, _error = altcha.verify_solution_v1(payload, _hmac_key(), check_expires=True)
    if not ok:
        return False
    try:
        signature = altcha.PayloadV1.from_base64(payload).signature
    except (ValueError, KeyError, TypeError):
        return False
    # cache.add is atomic: a second use of the same challenge is a replay.
    return cache.add(f"pow:used:{signature}", 1, POW_TTL_SECONDS + 60)


@never_cache
@require_GET
def pow_challenge_view(request: HttpRequest) -> JsonResponse:
    if not check_rate(request, "pow", getattr(settings, "CONG_POW_RATE", "60/m")):
        return JsonResponse({"error": "Quá nhiều yêu cầu, vui lòng thử lại sau."}, status=429)
    return JsonResponse(pow_challenge())
