"""Production recipe: nginx-cached pages vs static files, and the mixed citizen load.

Needs the recipe running on this machine (``make serve-prod``; nginx on
``CONG_NGINX_PORT``, default 8080). Figures:

- a cached portal home page through nginx's proxy cache, in requests/s, as a
  share of nginx serving the same bytes as a static file (target >= 50 %);
- an article page through nginx's page cache at 32 connections (issue 3's
  figure: target >= 5,000 req/s);
- the mixed load of ``bench/loadtest.py`` (85 % pages, 12 % beacons, 2 %
  searches, 1 % questions), throughput, p99 and errors (targets 1,700 req/s,
  p99 <= 200 ms, 0 errors), for ``--duration`` seconds.

    python bench/run.py deploy --runs 1 --duration 10
    python bench/deploy.py --duration 10            # cached pages only
    python bench/deploy.py --duration 10 --mixed    # and the mixed load
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadtest
from bench.harness import ROOT, Context, fetch, median_wrk

HOST = "tinh.localhost"


def _up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def article_path() -> str | None:
    """The newest article of the province's portal (its path under the site)."""
    loadtest._django()
    from wagtail.models import Page, Site

    # the province answers HOST as the default site when no site names it
    site = (Site.objects.filter(hostname=HOST).select_related("root_page").first()
            or Site.objects.filter(is_default_site=True).select_related("root_page").first())
    if site is None:
        return None
    root = site.root_page
    from cong.content.models import ArticlePage

    page = (Page.objects.live().descendant_of(root).type(ArticlePage).filter(depth__gt=root.depth + 1)
            .order_by("-last_published_at").first())
    return page.url_path[len(root.url_path) - 1:] if page else None


def run(ctx: Context, mixed: bool = True) -> None:
    port = int(os.environ.get("CONG_NGINX_PORT", "8080"))
    if not _up(port):
        print(f"   skipped: nothing listens on 127.0.0.1:{port} (start `make serve-prod` first)")
        return
    base = f"http://127.0.0.1:{port}"
    body = b""
    for _ in range(3):  # the second answer on is a cache hit
        body = fetch(base + "/", HOST)
    static_root = Path(os.environ.get("DJANGO_STATIC_ROOT", ROOT / "var" / "static"))
    (static_root / "bench").mkdir(parents=True, exist_ok=True)
    (static_root / "bench" / "home.html").write_bytes(body)
    cached = median_wrk(ctx, base + "/", host=HOST, connections=64)
    static = median_wrk(ctx, base + "/static/bench/home.html", host=HOST, connections=64)
    ctx.record("cached home page through nginx: requests/s", cached.rps, "req/s")
    ctx.record("cached home page through nginx: p99", cached.p99_ms, "ms")
    ctx.record("same bytes as a static file: requests/s", static.rps, "req/s")
    ctx.record("cached page / static file", 100 * cached.rps / static.rps, "%", "target >= 50")
    ctx.record("cached + static: errors / non-2xx",
               cached.errors + cached.non_2xx + static.errors + static.non_2xx, "count", "target 0")
    path = article_path()
    if path:
        for _ in range(2):
            fetch(base + path, HOST)
        article = median_wrk(ctx, base + path, host=HOST, connections=32)
        ctx.record("article page through the nginx page cache, 32 connections", article.rps,
                   "req/s", "target >= 5000 (issue 3)")
        ctx.record("article page through the nginx page cache: p99", article.p99_ms, "ms")
        ctx.record("article page: errors / non-2xx", article.errors + article.non_2xx, "count",
                   "target 0")
    if not mixed:
        return
    result_file = ROOT / "var" / "bench" / "loadtest.json"
    result_file.parent.mkdir(parents=True, exist_ok=True)
    loadtest.main(["--base", base, "--duration", str(max(ctx.duration, 30)),
                   "--json", str(result_file)])
    import json

    mixed = json.loads(result_file.read_text())
    ctx.record("mixed load: requests/s", mixed["throughput_rps"], "req/s", "target >= 1700")
    ctx.record("mixed load: p50", mixed["latency_ms"]["p50"], "ms")
    ctx.record("mixed load: p99", mixed["latency_ms"]["p99"], "ms", "target <= 200")
    for kind, k in mixed["kinds"].items():
        ctx.record(f"mixed load, {kind}: req/s", k["throughput_rps"], "req/s")
        ctx.record(f"mixed load, {kind}: p99", k["latency_ms"]["p99"], "ms")
    ctx.record("mixed load: errors (socket + non-2xx/3xx)", mixed["errors_total"], "count",
               "target 0")


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--mixed", action="store_true", help="also the mixed load (bench/loadtest.py)")
    args = parser.parse_args(argv)
    ctx = Context(database_url=os.environ.get("DATABASE_URL", ""), runs=args.runs,
                  duration=args.duration)
    run(ctx, mixed=args.mixed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
