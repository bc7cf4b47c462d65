"""gunicorn settings shared by `make demo`, the benchmarks and production.

Synchronous workers: page rendering is CPU-bound Python, so threads inside a
worker only contend for the GIL (measured: docs/performance.md). Requests
queue in the listen backlog and are taken by the next free worker.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# GUNICORN_THREADS > 1 runs gthread workers (gunicorn switches by itself):
# the production recipe behind nginx uses them so a slow request (a search
# missing the cache) does not hold a whole worker while quick ones (beacons,
# cache refreshes) wait in the backlog, and nginx's upstream keep-alive
# connections are kept (sync workers close each one).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
backlog = 2048
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 20000
max_requests_jitter = 2000
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (cong.ops.metrics), forget a finished
    worker's live gauges; its counters stay summed."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
