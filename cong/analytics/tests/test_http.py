"""Beacons over real HTTP, through the production WSGI stack
(``config.wsgi.application``: the beacon fast path in front of the page
cache and Django), served on 127.0.0.1 in a thread that uses the test's
database connection."""

from __future__ import annotations

import http.client
import json
import threading
from types import SimpleNamespace
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.test import Client
from django.utils import timezone

from cong.analytics import collector, services
from cong.analytics.models import CollectorCount, Event, PortalDay

from .conftest import FIREFOX


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """Keep the test output free of access logs."""


@pytest.fixture
def production_server(db):
    """``config.wsgi.application`` on a local port. Requests are served one
    at a time by one thread sharing the test's connection, so the server
    sees the test's records and the test sees what the server wrote."""
    from django.core import signals
    from django.db import close_old_connections, connections

    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    connection = connections["default"]
    connection.inc_thread_sharing()
    server = make_server("127.0.0.1", 0, application, server_class=WSGIServer, handler_class=_QuietHandler)

    def serve():
        connections["default"] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(port=server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        connection.dec_thread_sharing()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def post(server, host: str, payload, **headers) -> http.client.HTTPResponse:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("POST", "/-/a/e", body=body, headers={
        "Host": host, "User-Agent": FIREFOX, "Content-Type": "text/plain;charset=UTF-8", **headers,
    })
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def counts() -> dict[str, int]:
    return dict(CollectorCount.objects.values_list("name", "count"))


def test_a_visit_over_http_is_stored_without_personal_data_and_rolled_up(network, production_server):
    host = network.portals["a"].site.hostname
    page = post(production_server, host, {"t": "p", "id": "http00000001", "u": f"https://{host}/lien-he/",
                                          "r": "https://www.google.com/search?q=lien+he"})
    beat = post(production_server, host, {"t": "h", "id": "http00000001", "e": 0})
    assert (page.status, beat.status) == (204, 204)
    assert page.getheader("Cache-Control") == "no-store"
    # Answered before Django: none of the headers its middleware adds.
    assert page.getheader("X-Frame-Options") is None and page.getheader("Vary") is None
    rows = list(Event.objects.order_by("id").values())
    assert [(r["kind"], r["path"], r["referrer"], r["device"]) for r in rows] == [
        ("p", "/lien-he/", "www.google.com", "desktop"), ("h", "", "", "")]
    for row in rows:
        text = " ".join(str(v) for v in row.values())
        assert "127.0.0.1" not in text and "Firefox" not in text
    services.rollup_run()
    day = PortalDay.objects.get(portal=network.portals["a"], date=collector.local_day(timezone.now()))
    assert (day.visits, day.pageviews, day.bounces) == (1, 1, 1)


def test_over_http_a_full_buffer_answers_503_and_counts_every_drop(network, production_server, settings):
    settings.CONG_ANALYTICS_FLUSH_SIZE = 1000
    settings.CONG_ANALYTICS_BUFFER_MAX = 3
    host = network.portals["a"].site.hostname
    responses = [post(production_server, host, {"t": "p", "id": f"full{n:08d}", "u": f"https://{host}/"})
                 for n in range(7)]
    assert [r.status for r in responses] == [204] * 3 + [503] * 4
    assert responses[-1].getheader("Retry-After") == "5"
    assert collector.buffer.flush() == 3
    # Every beacon answered 204 reached the raw table; every other one is counted.
    assert Event.objects.count() == 3
    assert counts() == {"accepted": 3, "dropped": 4}


@pytest.mark.parametrize(("headers", "body", "status", "reason"), [
    ({"DNT": "1"}, None, 204, "ignored"),
    ({"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"}, None, 204, "ignored"),
    ({"Origin": "https://evil.example"}, None, 204, "ignored"),
    ({}, b"{not json", 400, "malformed"),
    ({}, b'{"t": "h", "id": "abcdef123456", "e": 1, "pad": "' + b"x" * 4000 + b'"}', 400, "oversized"),
])
def test_over_http_refused_and_ignored_beacons_are_counted_not_stored(
    network, production_server, headers, body, status, reason,
):
    host = network.portals["a"].site.hostname
    response = post(production_server, host, body or {"t": "p", "id": "ignored00001", "u": f"https://{host}/"},
                    **headers)
    assert response.status == status
    collector.buffer.flush()
    assert not Event.objects.exists()
    assert counts() == {reason: 1}


def test_over_http_a_signed_in_editor_goes_through_django_and_is_not_counted(network, production_server):
    host = network.portals["a"].site.hostname
    client = Client(HTTP_HOST=host)
    client.force_login(network.user("a", "bien_tap_vien"))
    session = client.cookies["sessionid"].value
    response = post(production_server, host, {"t": "p", "id": "staff0000001", "u": f"https://{host}/"},
                    Cookie=f"sessionid={session}")
    assert response.status == 204
    assert response.getheader("X-Frame-Options")  # Django answered
    collector.buffer.flush()
    assert not Event.objects.exists()
    assert counts() == {"ignored": 1}
