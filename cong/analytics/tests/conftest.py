from __future__ import annotations

import io
import itertools
import json
import wsgiref.util

import pytest
from django.test import Client
from django.urls import get_resolver

from cong.analytics import collector

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"

_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _collector(settings):
    """Synchronous writes in tests: each beacon is written at once (the
    flush thread is exercised by the benchmark on the real server)."""
    settings.CONG_ANALYTICS_FLUSH_SECONDS = 0
    settings.CONG_ANALYTICS_FLUSH_SIZE = 1
    # Load the URLconf before any test freezes the clock: ninja schemas
    # (cong.gazette.api) cannot be built from freezegun's fake date class,
    # so a file run alone would fail on its first request through Django.
    get_resolver().url_patterns  # noqa: B018
    collector.buffer.events.clear()
    collector.buffer.counts.clear()
    collector._salts.clear()
    collector.forget_hosts()
    yield
    collector.buffer.events.clear()
    collector.buffer.counts.clear()
    collector._salts.clear()


class WsgiResponse:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.content = body


def _unreachable(environ, start_response):  # the fast path must answer by itself
    raise AssertionError(f"beacon fell through to Django: {environ['PATH_INFO']}")


class Browser:
    """A reader's browser as the tracker script drives it. Beacons go
    through the production WSGI fast path (``cong.analytics.wsgi``); with a
    session cookie, through Django (where the fast path hands them)."""

    def __init__(self, host: str, ip: str = "203.0.113.7", ua: str = FIREFOX, **extra):
        self.host, self.ip, self.ua, self.extra = host, ip, ua, extra
        self.client = Client(HTTP_HOST=host, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **extra)

    def beacon(self, payload, **headers):
        from cong.analytics.wsgi import BeaconCollector

        body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
        if self.client.cookies:
            return self.client.post("/-/a/e", data=body, content_type="text/plain;charset=UTF-8", **headers)
        data = body.encode() if isinstance(body, str) else body
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/-/a/e", "HTTP_HOST": self.host,
            "REMOTE_ADDR": self.ip, "HTTP_USER_AGENT": self.ua, "CONTENT_TYPE": "text/plain;charset=UTF-8",
            "CONTENT_LENGTH": str(len(data)), "wsgi.input": io.BytesIO(data), **self.extra, **headers,
        }
        wsgiref.util.setup_testing_defaults(environ)
        seen = {}

        def start_response(status, response_headers):
            seen["status"], seen["headers"] = status, response_headers

        chunks = BeaconCollector(_unreachable)(environ, start_response)
        return WsgiResponse(seen["status"], seen["headers"], b"".join(chunks))

    def load(self, path: str = "/", referrer: str = "") -> str:
        pid = f"pv{next(_ids):010d}"
        response = self.beacon({"t": "p", "id": pid, "u": f"https://{self.host}{path}", "r": referrer})
        assert response.status_code == 204
        return pid

    def heartbeat(self, pid: str, engaged: int):
        response = self.beacon({"t": "h", "id": pid, "e": engaged})
        assert response.status_code == 204
        return response


@pytest.fixture
def browser(network):
    def make(key: str = "a", **kw) -> Browser:
        return Browser(network.portals[key].site.hostname, **kw)

    return make
