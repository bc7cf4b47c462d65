"""Prometheus metrics (prometheus_client), served at ``/-/metrics``.

Request rate and latency are counted by ``RequestMiddleware`` in every
server process; with several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR``
(the systemd unit and deploy/Procfile.local do) so one scrape sums them all.

Figures computed when scraped — queue depth and lag here; outbox and rollup
lag in the apps that own them — come from the ``cong_metrics`` Wagtail hook:
a function registered in an app's ``wagtail_hooks.py`` returns metric
families, e.g.::

    from prometheus_client.core import GaugeMetricFamily
    from wagtail import hooks

    @hooks.register("cong_metrics")
    def outbox_metrics():
        pending = GaugeMetricFamily("cong_outbox_pending", "Outbox posts not yet sent")
        pending.add_metric([], Post.objects.filter(status="queued").count())
        return [pending]

A failing function costs only its own figures (counted in
``cong_metrics_collector_errors``), never the whole scrape.
"""

from __future__ import annotations

import ipaddress
import logging
import os

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "cong_http_requests", "HTTP requests answered by the application", ["method", "status"]
)
LATENCY = Histogram(
    "cong_http_request_duration_seconds",
    "Time the application took to answer a request",
    ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE"}


def observe(method: str, status: int, seconds: float) -> None:
    method = method if method in KNOWN_METHODS else "other"
    REQUESTS.labels(method, f"{status // 100}xx").inc()
    LATENCY.labels(method).observe(seconds)


class HookCollector(Collector):
    """Figures computed at scrape time by the ``cong_metrics`` hook functions."""

    def collect(self):
        from wagtail import hooks

        errors = GaugeMetricFamily(
            "cong_metrics_collector_errors",
            "cong_metrics hook functions that failed during this scrape",
        )
        failed = 0
        for fn in hooks.get_hooks("cong_metrics"):
            try:
                yield from list(fn())
            except Exception:
                failed += 1
                logger.exception("metrics hook %s failed", getattr(fn, "__name__", fn))
        errors.add_metric([], failed)
        yield errors


def render() -> bytes:
    """Every metric of this server, in the Prometheus text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    registry.register(HookCollector())
    return generate_latest(registry)


def _client_allowed(request) -> bool:
    allowed = getattr(settings, "CONG_METRICS_ALLOWED_NETWORKS", ("127.0.0.1/32", "::1/128"))
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)


@never_cache
def metrics_view(request):
    """``/-/metrics``: for the monitoring server only (by network address;
    nginx refuses the path from outside as well)."""
    if not _client_allowed(request):
        return HttpResponseForbidden("Không được phép.")
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


def task_queue_metrics():
    """Depth and lag of the task queue of the configured django_tasks backend."""
    from django.utils import timezone

    backend = settings.TASKS["default"]["BACKEND"]
    depth = GaugeMetricFamily("cong_task_queue_depth", "Tasks waiting to run", labels=["queue"])
    running = GaugeMetricFamily("cong_task_running", "Tasks running now", labels=["queue"])
    failed = GaugeMetricFamily("cong_task_failed", "Tasks that failed (kept for inspection)", labels=["queue"])
    lag = GaugeMetricFamily(
        "cong_task_queue_lag_seconds", "Age of the oldest task ready to run", labels=["queue"]
    )
    if backend == "django_tasks_db.DatabaseBackend":
        from django.db.models import Count, Min, Q
        from django_tasks_db.models import DBTaskResult

        rows = (
            DBTaskResult.objects.values("queue_name")
            .annotate(
                ready=Count("id", filter=Q(status="READY")),
                running=Count("id", filter=Q(status="RUNNING")),
                failed=Count("id", filter=Q(status="FAILED")),
            )
            .order_by()
        )
        oldest = dict(
            DBTaskResult.objects.ready().values("queue_name").annotate(first=Min("enqueued_at"))
            .order_by().values_list("queue_name", "first")
        )
        now = timezone.now()
        for row in rows:
            q = row["queue_name"]
            depth.add_metric([q], row["ready"])
            running.add_metric([q], row["running"])
            failed.add_metric([q], row["failed"])
            first = oldest.get(q)
            lag.add_metric([q], (now - first).total_seconds() if first else 0.0)
    elif backend == "django_tasks_rq.RQBackend":
        from datetime import UTC, datetime

        import django_rq

        for name in settings.TASKS["default"].get("QUEUES", ["default"]):
            queue = django_rq.get_queue(name)
            depth.add_metric([name], queue.count)
            running.add_metric([name], queue.started_job_registry.count)
            failed.add_metric([name], queue.failed_job_registry.count)
            oldest_id = queue.connection.lindex(queue.key, 0)  # RQ appends at the tail
            first = queue.fetch_job(oldest_id.decode()) if oldest_id else None
            age = 0.0
            if first is not None and first.enqueued_at is not None:
                enqueued = first.enqueued_at
                if enqueued.tzinfo is None:  # rq stores UTC
                    enqueued = enqueued.replace(tzinfo=UTC)
                age = (datetime.now(UTC) - enqueued).total_seconds()
            lag.add_metric([name], max(age, 0.0))
    return [depth, running, failed, lag]
