"""Liveness and readiness, for the load balancer, systemd and monitoring.

``/-/health`` says the process answers (no dependency is touched, so a
database outage does not get healthy servers restarted). ``/-/ready`` says
whether this server can do its work: the database, the cache and the task
queue each answer; 503 with the failing check otherwise.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300],
                "ms": round((time.perf_counter() - started) * 1000, 1)}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def check_database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache():
    from django.core.cache import cache

    key = f"cong:ready:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return the value just written")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_queue():
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_rq.RQBackend":
        import django_rq

        for name in settings.TASKS["default"].get("QUEUES", ["default"]):
            django_rq.get_connection(name).ping()
        return {"backend": "rq"}
    if backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.ready().exists()
        return {"backend": "database"}
    return {"backend": backend.rsplit(".", 1)[-1]}


CHECKS = {"database": check_database, "cache": check_cache, "queue": check_queue}


@never_cache
def health(request):
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    results = {name: _timed(check) for name, check in CHECKS.items()}
    ok = all(r["ok"] for r in results.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": results},
                        status=200 if ok else 503)
