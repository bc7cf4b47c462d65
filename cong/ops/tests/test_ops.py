"""Health, readiness, metrics, request ids and the deployment check."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command

from cong.ops import request_id
from cong.ops.tests.conftest import free_port


@pytest.mark.django_db
def test_health_answers_without_touching_dependencies(client):
    response = client.get("/-/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_checks_database_cache_and_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get("/-/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["queue"]["backend"] == "database"


@pytest.mark.django_db
def test_ready_is_503_when_the_cache_server_is_down(client, settings):
    # A Redis address where nothing listens: the check must fail, not hang.
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    response = client.get("/-/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert "Connection" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_ready_is_503_when_the_rq_queue_is_unreachable(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0",
                                      "SOCKET_CONNECT_TIMEOUT": 1}}
    response = client.get("/-/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False


def _metric(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        if head.split("{")[0] != name:
            continue
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            return float(value)
    return None


@pytest.mark.django_db
def test_metrics_count_requests_and_report_queue_depth(client, settings, network):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = _metric(client.get("/-/metrics").content.decode(), "cong_http_requests_total",
                     method="GET", status="2xx") or 0
    assert client.get("/", HTTP_HOST=network.portals["province"].site.hostname).status_code == 200
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    purge_urls_from_cache_task.enqueue(["http://binhan.test/"])
    purge_urls_from_cache_task.enqueue(["http://binhan.test/a/"])
    assert DBTaskResult.objects.ready().count() == 2

    text = client.get("/-/metrics").content.decode()
    after = _metric(text, "cong_http_requests_total", method="GET", status="2xx")
    assert after >= before + 2  # the page and the first scrape
    assert _metric(text, "cong_http_request_duration_seconds_count", method="GET") >= 2
    assert _metric(text, "cong_task_queue_depth", queue="default") == 2
    assert _metric(text, "cong_task_queue_lag_seconds", queue="default") >= 0
    assert _metric(text, "cong_metrics_collector_errors") == 0


@pytest.mark.django_db
def test_a_failing_metrics_hook_costs_only_its_own_figures(client):
    from wagtail import hooks

    def broken():
        raise RuntimeError("outbox table missing")

    with hooks.register_temporarily("cong_metrics", broken):
        response = client.get("/-/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert _metric(text, "cong_metrics_collector_errors") == 1
    assert _metric(text, "cong_http_requests_total", method="GET", status="2xx") is not None


@pytest.mark.django_db
def test_metrics_are_refused_outside_the_monitoring_network(client):
    assert client.get("/-/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/-/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


@pytest.mark.django_db
def test_request_ids_are_adopted_or_made_and_reach_the_json_logs(client, settings):
    settings.CONG_ACCESS_LOG = True
    given = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(request_id.JsonFormatter())
    handler.addFilter(request_id.RequestIdFilter())
    logger = logging.getLogger("cong.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = client.get("/-/health", HTTP_X_REQUEST_ID=given)
        made = client.get("/-/health", HTTP_X_REQUEST_ID="bad id; drop table").headers["X-Request-ID"]
    finally:
        logger.removeHandler(handler)
    assert response["X-Request-ID"] == given
    assert made != "bad id; drop table" and len(made) == 32
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["request_id"] for line in lines] == [given, made]
    assert lines[0]["path"] == "/-/health" and lines[0]["status"] == 200
    assert lines[0]["level"] == "INFO" and "duration_ms" in lines[0]
    assert request_id.current() == ""  # nothing leaks past the request


def test_json_formatter_includes_exceptions():
    formatter = request_id.JsonFormatter()
    try:
        raise ValueError("hỏng")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lỗi %s", ("A",), sys.exc_info())
    entry = json.loads(formatter.format(record))
    assert entry["message"] == "lỗi A"
    assert "ValueError: hỏng" in entry["exception"]


@pytest.mark.django_db
def test_deploy_check_refuses_the_test_settings():
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("deploy_check", stdout=out)
    text = out.getvalue()
    assert "FAIL  settings" in text and "ALLOWED_HOSTS" in text
    assert "ok    database" in text and "ok    migrations: all applied" in text


@pytest.mark.django_db
def test_deploy_check_passes_a_configured_environment(settings, tmp_path):
    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 50
    settings.ALLOWED_HOSTS = ["binhan.gov.vn", ".binhan.gov.vn"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STATIC_ROOT = str(tmp_path / "static")
    out = io.StringIO()
    call_command("deploy_check", "--skip-deploy-checks", stdout=out)
    assert "all checks passed" in out.getvalue()


@pytest.mark.django_db
def test_deploy_check_reports_unapplied_migrations_and_unreachable_redis(settings):
    from django.db.migrations.recorder import MigrationRecorder

    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 50
    settings.ALLOWED_HOSTS = ["binhan.gov.vn"]
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    # Forget (inside the test's transaction) that the newest core migration ran.
    last = MigrationRecorder.Migration.objects.filter(app="core").order_by("-name").first()
    last.delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 check"):
        call_command("deploy_check", "--skip-deploy-checks", stdout=out)
    text = out.getvalue()
    assert f"FAIL  migrations: 1 migration(s) not applied: core.{last.name}" in text
    assert "FAIL  redis" in text


@pytest.mark.django_db
def test_pages_and_sessions_keep_working_while_redis_is_down(client, settings, network, caplog):
    """The production cache answers as an empty cache when Redis is down:
    the site falls back to the database instead of failing."""
    settings.CACHES = {"default": {
        "BACKEND": "cong.ops.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    from django.core.cache import cache

    cache.set("k", "v")
    assert cache.get("k", "missing") == "missing"
    assert cache.incr("counter") == 0
    host = network.portals["province"].site.hostname
    assert client.get("/", HTTP_HOST=host).status_code == 200
    client.force_login(network.user("a", "bien_tap_vien"))
    assert client.get("/admin/", HTTP_HOST=host).status_code == 200
    # Readiness still tells the truth.
    assert client.get("/-/ready").status_code == 503
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_database_failure_in_a_middleware_is_a_plain_503(network, monkeypatch, settings):
    from django.db import OperationalError
    from django.test import Client

    from cong.core import cache_version

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    def broken(*scope):
        raise OperationalError("could not connect to server")

    # The portal middleware reads the cache versions before any view runs
    # (all scopes at once inside a request, one scope outside).
    monkeypatch.setattr(cache_version, "_read", broken)
    monkeypatch.setattr(cache_version, "_read_all", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/tim-kiem/", {"q": "abc"}, HTTP_HOST="stttt.binhan.test")
    assert response.status_code == 503
    assert "Hệ thống đang bảo trì" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert response["X-Request-ID"]


def test_log_lines_written_after_the_request_keep_its_id():
    """django.request logs 4xx/5xx after the middleware chain has returned."""
    from types import SimpleNamespace

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Service Unavailable", (), None)
    record.request = SimpleNamespace(request_id="abcdef0123456789")
    request_id.RequestIdFilter().filter(record)
    assert json.loads(request_id.JsonFormatter().format(record))["request_id"] == "abcdef0123456789"
