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
# gthread: the connections one worker holds. A worker takes every connection
# it can accept, and a kept-alive connection stays with it: with the default
# (1,000) one worker could end up with most of nginx's (or a load test's)
# connections while the other idled — beacons measured 1,400/s or 2,500/s by
# the luck of the first accepts. Past ``worker_connections - threads`` kept
# connections a worker closes a connection after its answer, and the client
# reconnects to whichever worker is free: the load evens out.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(5 * threads)))
backlog = 2048
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
# A worker is replaced after this many requests (a guard against slow
# leaks). Every beacon is a request: at 20,000 a portal taking 2,000 beacons
# a second replaced a worker every 20 s, and each replacement (a fresh
# Django to import while the other worker carries the load) showed as the
# beacons' tail latency. At 200,000 that is every few minutes at peak, and
# never at ordinary traffic.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (cong.ops.metrics), forget a finished
    worker's live gauges; its counters stay summed."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
