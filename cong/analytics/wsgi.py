"""The beacon fast path: a WSGI layer (config/wsgi.py) that answers
``POST /-/a/e`` before Django's middleware runs, so a beacon costs a parse,
a hash and an append to the buffer.

Requests carrying a session cookie go through Django instead, where the
view leaves signed-in staff out.
"""

from __future__ import annotations

from django.conf import settings

from . import collector

COLLECT_PATH = "/-/a/e"
_HEADERS_204 = [("Cache-Control", "no-store"), ("Content-Length", "0")]
_BODY_400 = "Gói tin không hợp lệ.".encode()
_HEADERS_400 = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(_BODY_400))),
                ("Cache-Control", "no-store")]
_BODY_503 = "Máy chủ đang quá tải, gói tin không được ghi.".encode()
_HEADERS_503 = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(_BODY_503))),
                ("Cache-Control", "no-store"), ("Retry-After", "5")]


class BeaconCollector:
    def __init__(self, app):
        self.app = app
        self.cookie = f"{settings.SESSION_COOKIE_NAME}="

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != COLLECT_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        if self.cookie in environ.get("HTTP_COOKIE", ""):
            return self.app(environ, start_response)
        status = self._handle(environ)
        if status == 204:
            start_response("204 No Content", _HEADERS_204)
            return []
        if status == 503:  # the buffer is full: dropped and counted, and the client told
            start_response("503 Service Unavailable", _HEADERS_503)
            return [_BODY_503]
        start_response("400 Bad Request", _HEADERS_400)
        return [_BODY_400]

    def _handle(self, environ) -> int:
        length = environ.get("CONTENT_LENGTH") or "0"
        limit = collector.setting("MAX_BEACON_BYTES", 2048)
        if not length.isdigit() or int(length) > limit:
            collector.buffer.count(collector.OVERSIZED)
            return 400
        body = environ["wsgi.input"].read(int(length)) if int(length) else b""
        host = environ.get("HTTP_HOST", "").strip().lower()
        if host.startswith("["):
            host = host.split("]")[0] + "]"
        elif ":" in host:
            host = host.rsplit(":", 1)[0]
        return collector.accept(
            host=host,
            ip=collector.client_ip(environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_FORWARDED_FOR", "")),
            user_agent=environ.get("HTTP_USER_AGENT", ""),
            dnt=environ.get("HTTP_DNT", ""),
            origin=environ.get("HTTP_ORIGIN", ""),
            body=body,
        )
