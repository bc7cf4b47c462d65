"""nginx's proxy cache in front of the application, purged on publish
through Wagtail's frontend-cache invalidation: a real nginx, real HTTP."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest


def fetch(port, host, path, *, method="GET", headers=None, data=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method, data=data,
        headers={"Host": host, **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local test server
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def cache_status(port, host, path, **kw):
    return fetch(port, host, path, **kw)[1].get("X-Cache-Status")


@pytest.mark.django_db
def test_pages_are_cached_and_publishing_purges_exactly_the_affected_pages_per_host(
    nginx, network, publish_item, django_capture_on_commit_callbacks
):
    province, dept = network.portals["province"], network.portals["a"]
    host, other_host = province.site.hostname, dept.site.hostname
    with django_capture_on_commit_callbacks(execute=True):
        item = publish_item(province, title="Bản tin gốc")
        other = publish_item(province, section="thong-bao", category="chi-dao-dieu-hanh",
                             title="Thông báo khác")
    item_path = item.url_path[len(province.site.root_page.url_path) - 1 :]
    other_path = other.url_path[len(province.site.root_page.url_path) - 1 :]
    section_path = item.get_parent().url_path[len(province.site.root_page.url_path) - 1 :]
    pages = [(host, "/"), (host, item_path), (host, section_path), (host, other_path),
             (other_host, "/")]
    for h, path in pages:
        status, headers, body = fetch(nginx.port, h, path)
        assert status == 200, (h, path, status)
        assert headers["X-Cache-Status"] == "MISS"
    for h, path in pages:
        assert cache_status(nginx.port, h, path) == "HIT", (h, path)
    assert "Bản tin gốc" in fetch(nginx.port, host, item_path)[2]

    # A new revision of the item: its page, its section list and the home
    # page of its own portal are purged; the other item and the other portal
    # keep their cached copies.
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Bản tin đã sửa"
        item.save_revision().publish()

    status, headers, body = fetch(nginx.port, host, item_path)
    assert headers["X-Cache-Status"] == "MISS"
    assert "Bản tin đã sửa" in body
    assert cache_status(nginx.port, host, section_path) == "MISS"
    assert cache_status(nginx.port, host, "/") == "MISS"
    assert cache_status(nginx.port, host, other_path) == "HIT"
    assert cache_status(nginx.port, other_host, "/") == "HIT"

    purges = [line for line in (nginx.run_dir / "error.log").read_text().splitlines()
              if "purge" in line.lower() and "error" in line.lower()]
    assert purges == []


@pytest.mark.django_db
def test_sessions_messages_posts_and_the_admin_are_never_cached(nginx, network):
    host = network.portals["province"].site.hostname
    assert cache_status(nginx.port, host, "/") == "MISS"
    assert cache_status(nginx.port, host, "/") == "HIT"
    # A signed-in editor, or a visitor with a flash message, gets the
    # application's own answer.
    assert cache_status(nginx.port, host, "/", headers={"Cookie": "sessionid=abc"}) == "BYPASS"
    assert cache_status(nginx.port, host, "/", headers={"Cookie": "a=1; messages=xyz"}) == "BYPASS"
    # POSTs and the admin are never answered from the cache.
    assert cache_status(nginx.port, host, "/", method="POST", data=b"x=1") != "HIT"
    for _ in range(2):
        _status, headers, _body = fetch(nginx.port, host, "/admin/login/")
        assert headers.get("X-Cache-Status") in ("BYPASS", None)
    # Readiness is answered live, never from the cache.
    for _ in range(2):
        assert cache_status(nginx.port, host, "/-/ready") in ("BYPASS", None)


@pytest.mark.django_db
def test_a_query_string_variant_is_kept_briefly(nginx, network, settings):
    settings.CONG_PAGE_CACHE_QUERY_TTL = 1
    host = network.portals["province"].site.hostname
    assert cache_status(nginx.port, host, "/?page=2") == "MISS"
    assert cache_status(nginx.port, host, "/?page=2") == "HIT"
    time.sleep(2.1)
    # expired: refreshed from the application (the expired copy answers
    # while one background request fetches the new one)
    assert cache_status(nginx.port, host, "/?page=2") in ("EXPIRED", "STALE", "UPDATING")


@pytest.mark.django_db
def test_the_last_copy_is_served_while_the_application_is_down(nginx, app_server, network, settings):
    settings.CONG_PAGE_CACHE_TTL = 1
    host = network.portals["province"].site.hostname
    status, headers, body = fetch(nginx.port, host, "/")
    assert (status, headers["X-Cache-Status"]) == (200, "MISS")
    time.sleep(2.1)
    app_server.stop()
    status, headers, stale_body = fetch(nginx.port, host, "/")
    assert status == 200
    assert headers["X-Cache-Status"] == "STALE"
    assert stale_body == body
    # A page never cached cannot be served: the proxy says so (502).
    assert fetch(nginx.port, host, "/khong-co-trang-nay/")[0] == 502


@pytest.mark.django_db
def test_anonymous_search_results_are_cached_briefly_by_their_full_query(nginx, network):
    host = network.portals["province"].site.hostname
    assert cache_status(nginx.port, host, "/tim-kiem/?q=k%E1%BA%BF+ho%E1%BA%A1ch") == "MISS"
    assert cache_status(nginx.port, host, "/tim-kiem/?q=k%E1%BA%BF+ho%E1%BA%A1ch") == "HIT"
    # another query, another page of results, another portal: their own entries
    assert cache_status(nginx.port, host, "/tim-kiem/?q=k%E1%BA%BF+ho%E1%BA%A1ch&trang=2") == "MISS"
    other = network.portals["a"].site.hostname
    assert cache_status(nginx.port, other, "/tim-kiem/?q=k%E1%BA%BF+ho%E1%BA%A1ch") == "MISS"
    # a signed-in user's search is never answered from the cache
    assert cache_status(nginx.port, host, "/tim-kiem/?q=k%E1%BA%BF+ho%E1%BA%A1ch",
                        headers={"Cookie": "sessionid=abc"}) == "BYPASS"


@pytest.mark.django_db
@pytest.mark.parametrize("nginx_args", [["--search-client-rate", "1r/m", "--search-client-burst", "2"]])
def test_one_citizen_flooding_search_gets_a_vietnamese_429(nginx, network):
    host = network.portals["province"].site.hostname
    answers = [fetch(nginx.port, host, f"/tim-kiem/?q=a{i}") for i in range(5)]
    assert [a[0] for a in answers[:3]] == [200, 200, 200]
    status, headers, body = answers[-1]
    assert status == 429
    assert "Quá nhiều yêu cầu" in body and headers["Retry-After"] == "10"
    # pages are not limited
    assert fetch(nginx.port, host, "/")[0] == 200


def _slow_searches(nginx, host, monkeypatch, n: int, seconds: float, during=None, before=None,
                   seen=None) -> list:
    """``n`` searches nobody asked before, each from its own citizen (the
    per-citizen limit is not what answers), all at once, while the
    application takes ``seconds`` for each search it runs (appended to
    ``seen``, a list); ``before()`` runs just before them, the application
    already slow, ``during()`` meanwhile. Returns the answers (status,
    headers, body)."""
    from cong.content import views as content_views

    items_search = content_views.items_search

    def slow_search(*args, **kwargs):
        if seen is not None:
            seen.append(args)
        time.sleep(seconds)
        return items_search(*args, **kwargs)

    monkeypatch.setattr(content_views, "items_search", slow_search)
    answers = []

    def one(i):
        answers.append(fetch(nginx.port, host, f"/tim-kiem/?q=lu{i}",
                             headers={"X-Forwarded-For": f"100.64.0.{i + 1}"}))

    if before is not None:
        before()
        time.sleep(0.1)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    if during is not None:
        time.sleep(0.1)
        during()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize("nginx_args", [["--search-concurrency", "1", "--search-in-flight", "1",
                                         "--search-queue", "1"]])
def test_the_search_gate_lets_few_uncached_searches_through_and_pages_still_answer(
        nginx, network, monkeypatch):
    host = network.portals["province"].site.hostname
    assert fetch(nginx.port, host, "/")[0] == 200  # cached before the flood
    pages = []
    answers = _slow_searches(nginx, host, monkeypatch, 6, 0.5,
                             during=lambda: pages.append(fetch(nginx.port, host, "/")))
    page_status, page_headers, _ = pages[0]
    assert (page_status, page_headers["X-Cache-Status"]) == (200, "HIT")
    statuses = sorted(a[0] for a in answers)
    assert 200 in statuses and 503 in statuses, statuses
    busy = next(a for a in answers if a[0] == 503)
    assert "Chức năng tìm kiếm đang quá tải" in busy[2]
    assert busy[1]["Retry-After"] == "10"


@pytest.mark.django_db
@pytest.mark.parametrize("nginx_args", [["--search-concurrency", "1", "--search-in-flight", "6",
                                         "--search-queue", "10", "--search-rate", "50r/s"]])
def test_a_burst_of_searches_waits_while_the_application_is_slow_instead_of_being_refused(
        nginx, network, monkeypatch):
    """One search at once passes the gate; while the application takes its
    time, the next ones wait in nginx's queue and at the application (up to
    the in-flight cap), and every citizen gets an answer."""
    host = network.portals["province"].site.hostname
    answers = _slow_searches(nginx, host, monkeypatch, 5, 0.4)
    assert sorted(a[0] for a in answers) == [200] * 5
    assert all(a[1].get("X-Cache-Status") == "MISS" for a in answers)


@pytest.mark.django_db
@pytest.mark.parametrize("nginx_args", [["--search-concurrency", "8", "--search-in-flight", "4",
                                         "--search-refresh-in-flight", "1", "--search-queue", "10",
                                         "--search-rate", "50r/s"]])
def test_refreshes_of_expired_searches_leave_the_gate_to_searches_citizens_wait_for(
        nginx, network, monkeypatch, settings):
    """Three cached searches expire; asked again together, each answers its
    stale copy at once while nginx refreshes it in the background. Only one
    refresh reaches the (slow) application (without the refresh cap, all
    three do); the others are turned away and their stale copies keep
    answering, and three new searches asked meanwhile all get through."""
    settings.CONG_PAGE_CACHE_QUERY_TTL = 1
    host = network.portals["province"].site.hostname
    old = [f"/tim-kiem/?q=cu{i}" for i in range(3)]
    for i, path in enumerate(old):
        assert fetch(nginx.port, host, path, headers={"X-Forwarded-For": f"100.64.1.{i + 1}"})[0] == 200
    time.sleep(2.2)  # the copies' second of life ends (nginx counts whole seconds)
    searched = []
    stale = []

    def ask(i, path):
        stale.append(fetch(nginx.port, host, path, headers={"X-Forwarded-For": f"100.64.2.{i + 1}"}))

    askers = [threading.Thread(target=ask, args=(i, path)) for i, path in enumerate(old)]

    def ask_stale():
        for asker in askers:
            asker.start()
        time.sleep(0.4)  # their refreshes are on their way to the application

    answers = _slow_searches(nginx, host, monkeypatch, 3, 0.5, before=ask_stale, seen=searched)
    for asker in askers:
        asker.join()
    assert sorted((s[0], s[1].get("X-Cache-Status")) for s in stale) == [(200, "STALE")] * 3
    assert sorted((a[0], a[1].get("X-Cache-Status")) for a in answers) == [(200, "MISS")] * 3
    assert len(searched) == 4  # one refresh, three new searches
