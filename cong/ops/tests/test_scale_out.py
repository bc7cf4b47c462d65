"""Two application servers (real gunicorn processes) on one PostgreSQL and
one Redis: sessions, rate-limit counters, cache versions and leases hold
across them. Skipped on SQLite or without Redis (the embedded default is one
machine)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.db import connection

from cong.ops.tests.conftest import ROOT, free_port, wait_for_port

REDIS_URL = os.environ.get("CONG_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def _redis_ok() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure: no Redis to test with
        return False
    return True


@pytest.fixture
def shared_env(db, request):
    vendor, s = connection.vendor, dict(connection.settings_dict)
    if vendor != "postgresql":
        pytest.skip("scale-out runs on PostgreSQL (DATABASE_URL=postgres://…)")
    if not _redis_ok():
        pytest.skip(f"no Redis at {REDIS_URL}")
    collected_static = request.getfixturevalue("collected_static")
    db_url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": db_url,
        "REDIS_URL": REDIS_URL,
        "CONG_CACHE_PREFIX": f"scale-{uuid.uuid4().hex[:8]}",
        "CONG_PAGE_CACHE": "off",
        "CONG_TASK_BACKEND": "database",
        "DJANGO_ALLOWED_HOSTS": "*",
        "CONG_LOG_LEVEL": "WARNING",
        # the second factor has its own tests (cong/security)
        "CONG_2FA_REQUIRED": "false",
        "DJANGO_STATIC_ROOT": str(collected_static),
    }
    env.pop("CONG_NGINX_PURGE_URL", None)
    return env


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The production static files (hashed names, manifest), collected once
    into a directory of the test run's own."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_STATIC_ROOT": str(root)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def _server_pool():
    """Started once per module by ``two_servers``; stopped here."""
    pool = {"procs": [], "ports": []}
    yield pool
    for proc in pool["procs"]:
        proc.terminate()
    for proc in pool["procs"]:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def two_servers(shared_env, _server_pool):
    """Two gunicorn processes (one worker each) on the test database and Redis."""
    if not _server_pool["ports"]:
        for _ in range(2):
            port = free_port()
            _server_pool["procs"].append(subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application",
                 "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT, env=shared_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            _server_pool["ports"].append(port)
        for port in _server_pool["ports"]:
            wait_for_port(port, timeout=60)
    return _server_pool["ports"]


def _shell(env, code: str) -> str:
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(port, path, host="binhan.test", headers=None, opener=None):
    opener = opener or urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Host": host, **(headers or {})})
    try:
        with opener.open(request, timeout=20) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_a_session_made_on_one_server_is_valid_on_the_other(two_servers, shared_env):
    a, b = two_servers
    username = f"scale_{uuid.uuid4().hex[:6]}"
    # Made by the servers' own settings (password hasher), removed afterwards.
    _shell(shared_env, "from cong.accounts.models import User; "
           f"User.objects.create_superuser({username!r}, 'x@binhan.test', 'mat-khau-mo-rong-1')")
    try:
        opener, jar = _opener()
        status, page = get(a, "/admin/login/", host="127.0.0.1", opener=opener)
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                       "password": "mat-khau-mo-rong-1", "next": "/admin/"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{a}/admin/login/", data=data,
                                         headers={"Host": "127.0.0.1",
                                                  "Referer": f"http://127.0.0.1:{a}/admin/login/"})
        with opener.open(request, timeout=20) as r:
            assert r.status == 200
        session = next(c.value for c in jar if c.name == "sessionid")
        # Server B never saw this login.
        status, body = get(b, "/admin/", host="127.0.0.1", headers={"Cookie": f"sessionid={session}"})
        assert status == 200
        assert username in body
        # Without the cookie B sends the visitor to the login page.
        assert get(b, "/admin/", host="127.0.0.1")[0] == 302
    finally:
        _shell(shared_env, f"from cong.accounts.models import User; User.objects.filter(username={username!r}).delete()")


def test_rate_limit_counters_are_shared_by_the_servers(two_servers):
    """60 a minute per client across the network, not 60 per server: the
    61st request, whichever server takes it, is refused. The limiter's
    windows are fixed (django-ratelimit), so a run that happens to straddle
    the client's window boundary starts counting again; such a run is tried
    again as another client. Counters kept per server never give the
    pattern: each server sees only 31 of the 62 requests."""
    a, b = two_servers
    runs = []
    for attempt in range(3):
        client = {"X-Forwarded-For": f"198.51.100.{7 + attempt}"}
        answers = [get((a, b)[i % 2], "/-/pow/", headers=client)[0] for i in range(62)]
        runs.append(answers)
        if answers[:60] == [200] * 60 and 429 in answers[60:]:
            break
    else:
        raise AssertionError(f"the 61st request was not refused in any of 3 runs: {runs}")


def test_a_publish_by_another_process_reaches_both_servers_at_once(two_servers, shared_env):
    a, b = two_servers
    for port in (a, b, a, b):  # warm each server's process-local caches
        assert get(port, "/")[0] == 200
    title = f"Tin mở rộng {uuid.uuid4().hex[:6]}"
    page_id = _shell(shared_env, (
        "from cong.units.models import Unit; from cong.content.models import ArticlePage, Category; "
        "portal = Unit.objects.get(code='tinh').portal; "
        "parent = portal.site.root_page.get_children().get(slug='tin-tuc-su-kien').specific; "
        f"p = parent.add_child(instance=ArticlePage(title={title!r}, slug='mo-rong-{uuid.uuid4().hex[:6]}', "
        "category=Category.objects.get(slug='tin-tuc-su-kien'), live=False)); "
        "p.save_revision().publish(); print(p.pk)"
    ))
    try:
        assert title in get(a, "/")[1]
        assert title in get(b, "/")[1]
    finally:
        _shell(shared_env, f"from wagtail.models import Page; Page.objects.get(pk={page_id}).delete()")
    assert title not in get(a, "/")[1]
    assert title not in get(b, "/")[1]


def test_a_lease_taken_by_one_process_is_refused_to_another(shared_env):
    name = f"scale-test-{uuid.uuid4().hex[:6]}"
    code = ("from cong.core.scheduler import lease_acquire; "
            f"print(lease_acquire({name!r}, 60, holder='{{}}'))")
    try:
        assert _shell(shared_env, code.format("server-1")) == "True"
        assert _shell(shared_env, code.format("server-2")) == "False"
        assert _shell(shared_env, code.format("server-1")) == "True"  # the holder renews
    finally:
        _shell(shared_env, f"from cong.core.models import Lease; Lease.objects.filter(name={name!r}).delete()")
    # Released: the other process may take it.
    assert _shell(shared_env, code.format("server-2")) == "True"
    _shell(shared_env, f"from cong.core.models import Lease; Lease.objects.filter(name={name!r}).delete()")
