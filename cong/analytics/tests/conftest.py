from __future__ import annotations

import itertools
import json

import pytest
from django.test import Client

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
    collector.buffer.events.clear()
    collector.buffer.counts.clear()
    collector._salts.clear()
    yield
    collector.buffer.events.clear()
    collector.buffer.counts.clear()
    collector._salts.clear()


class Browser:
    """A reader's browser as the tracker script drives it."""

    def __init__(self, host: str, ip: str = "203.0.113.7", ua: str = FIREFOX, **extra):
        self.host = host
        self.client = Client(HTTP_HOST=host, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **extra)

    def beacon(self, payload, **headers):
        body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
        return self.client.post("/-/a/e", data=body, content_type="text/plain;charset=UTF-8", **headers)

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
