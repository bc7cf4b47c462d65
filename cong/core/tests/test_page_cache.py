"""The page cache: anonymous pages served before Django, purged exactly,
served stale with a notice when the application fails."""

import io
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections

from cong.core.page_cache import PageCache, Store


def call(app, path, host="stttt.binhan.test", method="GET", query="", cookie=""):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
        "HTTP_HOST": host, "SERVER_NAME": host, "SERVER_PORT": "80", "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False, "SCRIPT_NAME": "",
    }
    out = {}

    def start_response(status, headers, exc_info=None):
        out["status"], out["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return out["status"], out["headers"], body.decode()


@pytest.fixture
def cached_app(settings, tmp_path, network):
    from django.core.wsgi import get_wsgi_application

    settings.CONG_PAGE_CACHE = "file"
    settings.CONG_PAGE_CACHE_DIR = tmp_path / "page-cache"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # As Django's test client does: the test's transaction holds the
    # connection, which the per-request connection cleanup would close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield PageCache(get_wsgi_application(), Store(settings.CONG_PAGE_CACHE_DIR))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_second_request_is_served_from_the_cache(cached_app):
    status, headers, body = call(cached_app, "/gioi-thieu/")
    assert status.startswith("200") and headers["X-Cache"] == "MISS"
    assert "X-Cong-Page-Cache" not in headers
    status, headers, body2 = call(cached_app, "/gioi-thieu/")
    assert headers["X-Cache"] == "HIT" and body2 == body
    assert "Content-Security-Policy" in headers


def test_hosts_and_queries_are_kept_apart(cached_app):
    call(cached_app, "/gioi-thieu/")
    _, headers, body = call(cached_app, "/gioi-thieu/", host="syt.binhan.test")
    assert headers["X-Cache"] == "MISS" and "Sở Y tế" in body
    assert call(cached_app, "/tin-tuc-su-kien/", query="trang=2")[1]["X-Cache"] == "MISS"


def test_signed_in_staff_and_other_methods_bypass_the_cache(cached_app):
    call(cached_app, "/gioi-thieu/")
    assert "X-Cache" not in call(cached_app, "/gioi-thieu/", cookie="sessionid=abc")[1]
    assert "X-Cache" not in call(cached_app, "/gioi-thieu/", method="POST")[1]


def test_publishing_purges_exactly_the_affected_pages(cached_app, network, publish_item):
    for path in ("/", "/tin-tuc-su-kien/", "/gioi-thieu/", "/rss.xml"):
        call(cached_app, path)
    call(cached_app, "/tin-tuc-su-kien/", query="trang=2")
    call(cached_app, "/", host="syt.binhan.test")
    item = publish_item(network.portals["a"], title="Tin mới xuất bản", slug="tin-moi-xb")
    _, h_home, home = call(cached_app, "/")
    assert h_home["X-Cache"] == "MISS" and "Tin mới xuất bản" in home
    _, h_list, listing = call(cached_app, "/tin-tuc-su-kien/")
    assert h_list["X-Cache"] == "MISS" and "Tin mới xuất bản" in listing
    assert call(cached_app, "/tin-tuc-su-kien/", query="trang=2")[1]["X-Cache"] == "MISS"
    assert "Tin mới xuất bản" in call(cached_app, "/rss.xml")[2]
    # untouched pages stay cached, on this portal and on others
    assert call(cached_app, "/gioi-thieu/")[1]["X-Cache"] == "HIT"
    assert call(cached_app, "/", host="syt.binhan.test")[1]["X-Cache"] == "HIT"
    assert item.live


def test_settings_change_purges_the_portal(cached_app, network):
    from cong.units.models import PortalSettings

    call(cached_app, "/gioi-thieu/")
    ps = PortalSettings.for_site(network.portals["a"].site)
    ps.phone = "0271 3999 000"
    ps.save()
    _, headers, body = call(cached_app, "/gioi-thieu/")
    assert headers["X-Cache"] == "MISS" and "0271 3999 000" in body


def test_an_expired_copy_is_served_with_a_notice_when_the_application_fails(settings, tmp_path):
    store = Store(tmp_path)
    calls = {"n": 0}

    def app(environ, start_response):
        calls["n"] += 1
        if calls["n"] > 1:
            raise OperationalError("database is down")
        start_response("200 OK", [("Content-Type", "text/html"), ("X-Cong-Page-Cache", "0")])
        return ["<html><body><h1>Trang chủ</h1></body></html>".encode()]

    cache = PageCache(app, store)
    assert call(cache, "/")[1]["X-Cache"] == "MISS"
    status, headers, body = call(cache, "/")  # ttl 0: expired, the application fails
    assert status.startswith("200") and headers["X-Cache"] == "STALE"
    assert "Hệ thống đang bảo trì" in body and "<h1>Trang chủ</h1>" in body
    with pytest.raises(OperationalError):
        call(cache, "/khong-co-ban-luu/")


def test_database_errors_become_a_plain_503(client, network, monkeypatch, settings):
    from cong.content import views

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(views, "items_search", broken)
    response = client.get("/tim-kiem/", {"q": "abc"}, HTTP_HOST="stttt.binhan.test")
    assert response.status_code == 503
    assert "Hệ thống đang bảo trì" in response.content.decode()
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize(("mode", "header"), [("nginx", "X-Accel-Expires"), ("file", "X-Cong-Page-Cache")])
def test_pages_cached_together_expire_spread_over_a_share_of_their_time(client, network, settings, mode, header):
    """A page is kept its time less a random share of it (up to
    CONG_PAGE_CACHE_JITTER), so that pages cached in the same second are not
    all refreshed in the same second; never less than one second."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.CONG_PAGE_CACHE, settings.CONG_PAGE_CACHE_TTL, settings.CONG_PAGE_CACHE_QUERY_TTL = mode, 600, 60

    def kept(n=40, **query):
        return [int(client.get("/", query, HTTP_HOST="stttt.binhan.test")[header]) for _ in range(n)]

    spread = kept()
    assert all(420 <= t <= 600 for t in spread) and len(set(spread)) > 10
    assert all(42 <= t <= 60 for t in kept(trang="2"))
    settings.CONG_PAGE_CACHE_JITTER = 0
    assert set(kept(5)) == {600}
    settings.CONG_PAGE_CACHE_JITTER, settings.CONG_PAGE_CACHE_TTL = 0.3, 1
    assert set(kept(10)) == {1}
