"""Issue 6: beacons accepted per second over HTTP, rollup of generated
events, a quarter's figures from seven years of rollups.

Scale with BENCH_EVENTS (default 10,000,000 events to roll up). wrk offers
beacons as fast as the server takes them; every beacon answered 2xx must be
written or counted as dropped.

BENCH_ANALYTICS_PARTS (default ``beacons,paced,rollup,quarter``) picks the
parts: ``beacons`` offers them flat out (capacity), ``paced`` at the target
rate BENCH_BEACON_RATE (default 2,000/s: each of 32 connections waits between
requests), which is where the p99 target applies;
BENCH_BEACON_WORKERS (default ``gthread``, or ``sync``) the gunicorn worker
class the beacon part runs (2 workers either way; gthread keeps connections
alive, which a sync worker cannot).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time

from .harness import Context, fetch, server

NAME = "analytics"
EVENTS = int(os.environ.get("BENCH_EVENTS", "10000000"))
PARTS = os.environ.get("BENCH_ANALYTICS_PARTS", "beacons,paced,rollup,quarter").split(",")
RATE = int(os.environ.get("BENCH_BEACON_RATE", "2000"))
PACED_CONNECTIONS = 32
WORKER_CLASS = os.environ.get("BENCH_BEACON_WORKERS", "gthread")
THREADS = int(os.environ.get("BENCH_BEACON_THREADS", "4"))
HOST = "stttt.localhost"

WRK_SCRIPT = """
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
request = function()
  n = n + 1
  local id = string.format("b%05d%010d", math.random(0, 99999), n)
  local body
  if n % 3 == 0 then
    body = '{"t":"h","id":"' .. id .. '","e":15}'
  else
    body = '{"t":"p","id":"' .. id .. '","u":"http://HOSTNAME/tin-tuc-su-kien/tin-' .. (n % 500) .. '/","r":"https://www.google.com/"}'
  end
  return wrk.format(nil, "/-/a/e", nil, body)
end
"""


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))


def _shell(ctx: Context, code: str) -> str:
    return ctx.manage("shell", "-c", code).strip().splitlines()[-1]


def _wrk(url: str, script: str, duration: int, connections: int = 32) -> dict:
    """wrk with a script: totals and latency."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
           "-H", f"Host: {HOST}", "-s", script, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {m.group(1): float(m.group(2)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(3)]
           for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"total": total, "rps": rps, "p50": lat.get("50", 0.0), "p99": lat.get("99", 0.0),
            "non2xx": non2xx, "errors": errors}


def _counts(ctx: Context) -> tuple[int, int, int]:
    return tuple(map(int, _shell(ctx, (
        "from cong.analytics.models import Event, CollectorCount as C; from django.db.models import Sum;"
        "s = lambda n: C.objects.filter(name=n).aggregate(x=Sum('count'))['x'] or 0;"
        "print(Event.objects.count(), s('accepted'), s('dropped'))"
    )).split()))


def _beacon_runs(ctx: Context, script_text: str, connections: int = 32,
                 calibrate=None) -> tuple[list[dict], tuple]:
    """Server up, wrk ``ctx.runs`` times with ``script_text``; the runs and
    the (written, accepted, dropped) counts they caused. ``calibrate``, if
    given, is called with a function running wrk for a few seconds on a
    script and returns the script to measure with."""
    def write(text: str) -> str:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(text.replace("HOSTNAME", HOST))
            return f.name

    before = _counts(ctx)
    env = {"CONG_PAGE_CACHE": "off"}
    # config/gunicorn.py picks gthread for more than one thread, and sizes
    # its connections by the threads
    env["GUNICORN_THREADS"] = "1" if WORKER_CLASS == "sync" else str(THREADS)
    scripts = []
    with server(ctx, extra_env=env) as base:
        fetch(f"{base}/", HOST)

        def trial(text: str, seconds: int = 4) -> dict:
            scripts.append(write(text))
            return _wrk(f"{base}/-/a/e", scripts[-1], seconds, connections)

        if calibrate is not None:
            script_text = calibrate(trial)
        scripts.append(write(script_text))
        runs = [_wrk(f"{base}/-/a/e", scripts[-1], ctx.duration, connections) for _ in range(ctx.runs)]
        time.sleep(2)  # the flush threads write what they hold; stopping flushes the rest
    for name in scripts:
        os.unlink(name)
    after = _counts(ctx)
    return runs, tuple(a - b for a, b in zip(after, before, strict=True))


def _record_losses(ctx: Context, runs: list[dict], counts: tuple) -> None:
    answered_2xx = sum(r["total"] - r["non2xx"] for r in runs)
    written, accepted, dropped = counts
    ctx.record("beacons answered 2xx (seen by wrk)", float(answered_2xx), "")
    ctx.record("beacons accepted (counted by the server)", float(accepted), "")
    ctx.record("raw event rows written", float(written), "")
    # wrk counts only requests it saw complete; beacons in flight when it
    # stopped were accepted and written too, so written >= answered 2xx.
    ctx.record("lost: accepted but not written, or 2xx but not written", float(
        max(accepted - written, answered_2xx - written, 0)), "", "target 0")
    ctx.record("beacons dropped under overload (503, counted)", float(dropped), "")
    ctx.record("other non-2xx and socket errors",
               float(max(sum(r["non2xx"] + r["errors"] for r in runs) - dropped, 0)), "")


def _label() -> str:
    return f"2 {WORKER_CLASS} workers" + (f" x {THREADS} threads" if WORKER_CLASS != "sync" else "")


def beacons(ctx: Context) -> None:
    """Flat out: what the server takes."""
    runs, counts = _beacon_runs(ctx, WRK_SCRIPT)
    runs.sort(key=lambda r: r["rps"])
    mid = runs[len(runs) // 2]
    ctx.record(f"beacons over HTTP flat out, {_label()}: req/s", mid["rps"], "req/s", "target >= 2000")
    ctx.record(f"beacons over HTTP flat out, {_label()}: p50", mid["p50"], "ms")
    ctx.record(f"beacons over HTTP flat out, {_label()}: p99", mid["p99"], "ms")
    _record_losses(ctx, runs, counts)


def _paced_script(wait_ms: float) -> str:
    return WRK_SCRIPT + f"\ndelay = function()\n  return {wait_ms:.0f}\nend\n"


def paced(ctx: Context) -> None:
    """At the target rate: each connection waits between its requests so
    that together they offer ``RATE`` a second (wrk's delay hook). A short
    trial run measures what a request adds to the wait (answer time, wrk's
    own turn), and the wait is set so the offered rate is the target; the
    runs then report the rate achieved and its latency."""
    period_ms = PACED_CONNECTIONS * 1000 / RATE  # each connection, one request per period

    def calibrate(trial) -> str:
        first = max(period_ms - 3, 0)
        got = trial(_paced_script(first))
        overhead = PACED_CONNECTIONS * 1000 / max(got["rps"], 1) - first
        wait = max(period_ms - overhead, 0)
        print(f"   paced: trial {got['rps']:.0f}/s with {first:.0f} ms waits; measuring with {wait:.0f} ms",
              flush=True)
        return _paced_script(wait)

    runs, counts = _beacon_runs(ctx, "", PACED_CONNECTIONS, calibrate=calibrate)
    runs.sort(key=lambda r: r["p99"])
    mid = runs[len(runs) // 2]
    ctx.record(f"beacons over HTTP paced at {RATE:,}/s, {_label()}: req/s achieved (median-p99 run)", mid["rps"],
               "req/s", f">= {RATE}")
    ctx.record(f"beacons over HTTP paced at {RATE:,}/s, {_label()}: p50", mid["p50"], "ms")
    ctx.record(f"beacons over HTTP paced at {RATE:,}/s, {_label()}: p99 (median run)", mid["p99"], "ms",
               "target <= 50")
    ctx.record(f"beacons over HTTP paced at {RATE:,}/s: worst p99 of {len(runs)} runs", runs[-1]["p99"], "ms")
    _record_losses(ctx, runs, counts)


# One busy day of one portal: visitor v loads 1–4 pages (1, 1, 2, 3, 4 by
# v mod 5), 160 s apart, each followed by 0–3 heartbeats 15 s apart — about
# 5.5 events per visitor (n * 2 / 11 visitors make about n events). The
# whole set is made by the database.
_GENERATE_PG = """
INSERT INTO analytics_event (portal_id, day, ts, kind, visitor, pageview, path, referrer, device, engaged)
SELECT %(portal)s, %(day)s,
    %(start)s::timestamptz + make_interval(secs => (v * 7919) %% 86000 + p * 160 + h * 15),
    CASE WHEN h = 0 THEN 'p' ELSE 'h' END,
    lpad(to_hex(v), 16, '0'), lpad(to_hex(v), 8, '0') || lpad(to_hex(p), 8, '0'),
    CASE WHEN h = 0 THEN '/tin-tuc-su-kien/tin-' || ((v * 31 + p * 17) %% 5000) || '/' ELSE '' END,
    CASE WHEN h = 0 THEN (ARRAY['', '', 'www.google.com', 'www.facebook.com'])[1 + (v + p) %% 4] ELSE '' END,
    CASE WHEN h = 0 THEN (ARRAY['desktop', 'mobile', 'mobile'])[1 + v %% 3] ELSE '' END,
    15 * h
FROM generate_series(1::bigint, %(visitors)s::bigint) AS v
CROSS JOIN LATERAL generate_series(0, (ARRAY[0, 0, 1, 2, 3])[1 + (v * 37) %% 5]) AS p
CROSS JOIN LATERAL generate_series(0, ((v * 13 + p * 7) %% 4)::int) AS h
"""
_GENERATE_SQLITE = """
WITH RECURSIVE vs(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM vs WHERE v < %(visitors)s),
    ps(p) AS (VALUES (0), (1), (2), (3)), hs(h) AS (VALUES (0), (1), (2), (3))
INSERT INTO analytics_event (portal_id, day, ts, kind, visitor, pageview, path, referrer, device, engaged)
SELECT %(portal)s, %(day)s,
    datetime(%(start)s, '+' || ((v * 7919) %% 86000 + p * 160 + h * 15) || ' seconds'),
    CASE WHEN h = 0 THEN 'p' ELSE 'h' END,
    printf('%%016x', v), printf('%%08x%%08x', v, p),
    CASE WHEN h = 0 THEN '/tin-tuc-su-kien/tin-' || ((v * 31 + p * 17) %% 5000) || '/' ELSE '' END,
    CASE WHEN h = 0 THEN CASE (v + p) %% 4 WHEN 2 THEN 'www.google.com' WHEN 3 THEN 'www.facebook.com' ELSE '' END
         ELSE '' END,
    CASE WHEN h = 0 THEN CASE v %% 3 WHEN 0 THEN 'desktop' ELSE 'mobile' END ELSE '' END,
    15 * h
FROM vs JOIN ps ON p <= CASE (v * 37) %% 5 WHEN 0 THEN 0 WHEN 1 THEN 0 WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 3 END
JOIN hs ON h <= (v * 13 + p * 7) %% 4
"""


def generate_events(n: int, portal_host: str = HOST) -> tuple[int, str, int]:
    """Insert about ``n`` raw events of one busy day of one portal with one
    INSERT … SELECT (generate_series on PostgreSQL, a recursive CTE on
    SQLite). Returns (portal id, day, events inserted)."""
    import datetime as dt

    from django.db import connection, transaction

    from cong.units.models import Portal

    portal = Portal.objects.get(site__hostname=portal_host)
    day = dt.date(2026, 1, 15)
    params = {"portal": portal.pk, "day": day.isoformat(), "visitors": max(n * 2 // 11, 1)}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_GENERATE_PG, {**params, "start": "2026-01-14 17:00:00+00"})  # 00:00 local
            made = cursor.rowcount
            cursor.execute("ANALYZE analytics_event")
        else:
            cursor.execute(_GENERATE_SQLITE, {**params, "start": "2026-01-14 17:00:00"})
            cursor.execute("SELECT COUNT(*) FROM analytics_event WHERE portal_id = %s AND day = %s",
                           [portal.pk, day.isoformat()])
            made = cursor.fetchone()[0]
    return portal.pk, day.isoformat(), made


def rollup(ctx: Context) -> None:
    started = time.time()
    portal_id, day, made = _shell(ctx, (
        "from cong.analytics.models import Event, RollupState;"
        "Event.objects.all()._raw_delete(Event.objects.db); RollupState.objects.all().delete();"
        f"from bench.analytics import generate_events; print(*generate_events({EVENTS}))"
    )).split()
    print(f"   generated {int(made):,} events in {time.time() - started:.0f} s", flush=True)
    seconds, pairs, visits, pageviews = _shell(ctx, (
        "import time; from cong.analytics import services; from cong.analytics.models import PortalDay;"
        "t = time.perf_counter(); n = services.rollup_run(); s = time.perf_counter() - t;"
        f"d = PortalDay.objects.get(portal_id={portal_id}, date='{day}');"
        "print(s, n, d.visits, d.pageviews)"
    )).split()
    print(f"   rolled up {pairs} (day, portal): {int(visits):,} visits, {int(pageviews):,} pageviews", flush=True)
    engine = "PostgreSQL" if ctx.database_url.startswith("postgres") else "SQLite"
    ctx.record(f"rollup task, {int(made):,} events ({engine})", float(seconds), "s", "target < 60 (10,000,000)")


def quarter(ctx: Context) -> None:
    ms = float(_shell(ctx, """
import datetime as dt, statistics, time
from django.db import transaction
from cong.analytics.models import ImportedDay, PortalDay
from cong.analytics import selectors
from cong.units.models import Portal
portals = list(Portal.objects.select_related('unit'))
first = dt.date(2019, 1, 1)
with transaction.atomic():
    PortalDay.objects.filter(date__lt=dt.date(2026, 1, 1)).delete()
    ImportedDay.objects.all().delete()
    rows, imported = [], []
    for p in portals:
        d = first
        while d < dt.date(2026, 1, 1):
            if d < dt.date(2022, 1, 1):
                imported.append(ImportedDay(unit=p.unit, date=d, visits=900, pageviews=2000, visit_seconds=300000))
            if d >= dt.date(2021, 7, 1):
                rows.append(PortalDay(portal=p, date=d, visits=1000, pageviews=2500, visit_seconds=350000, visitors=800))
            d += dt.timedelta(days=1)
    ImportedDay.objects.bulk_create(imported, batch_size=5000)
    PortalDay.objects.bulk_create(rows, batch_size=5000)
unit = portals[0].unit
samples = []
for year in range(2019, 2026):
    for q in range(4):
        start = dt.date(year, 3 * q + 1, 1)
        end = dt.date(year + (q == 3), (3 * q + 3) % 12 + 1, 1) - dt.timedelta(days=1)
        t = time.perf_counter()
        selectors.traffic(unit, start, end)
        selectors.visits_since_launch(unit, end)
        samples.append((time.perf_counter() - t) * 1000)
print(round(statistics.median(samples), 2))
"""))
    ctx.record("a quarter's figures + since-launch total, 7 years of rollups: median", ms, "ms",
               "target < 200")


def run(ctx: Context) -> None:
    for part in PARTS:
        {"beacons": beacons, "paced": paced, "rollup": rollup, "quarter": quarter}[part.strip()](ctx)


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.analytics`` runs this benchmark alone (see bench/run.py)."""
    sys.argv = [sys.argv[0], NAME, *(argv if argv is not None else sys.argv[1:])]
    from .run import main as run_main

    run_main()


if __name__ == "__main__":
    main()
