"""Issue 2: uncached page throughput against the production server.

Province home page and a department home page of the demo network, at 32
connections, and the same bytes served as a static file as the ceiling.
"""

from __future__ import annotations

from .harness import ROOT, Context, fetch, median_wrk, server

NAME = "pages"


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))


def run(ctx: Context) -> None:
    static_dir = ROOT / "var" / "static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    with server(ctx, extra_env={"CONG_PAGE_CACHE": "off"}) as base:
        targets = [
            ("province home page", f"{base}/", None),
            ("department home page", f"{base}/", "stttt.localhost"),
        ]
        for label, url, host in targets:
            body = fetch(url, host)
            for _ in range(50):
                fetch(url, host)
            r = median_wrk(ctx, url, host=host)
            ctx.record(f"{label}, uncached: requests/s", r.rps, "req/s", "target >= 135")
            ctx.record(f"{label}, uncached: p50", r.p50_ms, "ms")
            ctx.record(f"{label}, uncached: p99", r.p99_ms, "ms", "target < 300")
            if r.errors or r.non_2xx:
                ctx.record(f"{label}: errors / non-2xx", r.errors + r.non_2xx, "count")
            name = "province-home.html" if host is None else "department-home.html"
            (static_dir / name).write_bytes(body)
        # Static files are read when the server starts (whitenoise), so the
        # ceiling runs against a fresh server.
    with server(ctx) as base:
        for name in ("province-home.html", "department-home.html"):
            r = median_wrk(ctx, f"{base}/static/bench/{name}")
            ctx.record(f"same bytes as a static file ({name}): requests/s", r.rps, "req/s", "ceiling")
            ctx.record(f"same bytes as a static file ({name}): p99", r.p99_ms, "ms")
