"""Issue 3: Vietnamese search on 100,000 items; article and section pages,
uncached and through the page cache; purge on publish."""

from __future__ import annotations

import os
import time

from .harness import Context, fetch, median_wrk, server

NAME = "publishing"
ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))

QUERIES = [
    "chuyển đổi số", "chuyen doi so", "cải cách hành chính", "cai cach hanh chinh",
    "đầu tư công", "dau tu cong", "phòng chống dịch bệnh", "phong chong dich benh",
    "nông thôn mới", "nong thon moi", "dịch vụ công trực tuyến", "dich vu cong truc tuyen",
    "Đề án 06", "de an 06", '"quản lý đất đai"', '"quan ly dat dai"', "khu công nghiệp 2024",
    "khu cong nghiep 2024", "du lịch sinh thái cây điều", "an toan thuc pham",
]


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))
    have = int(ctx.manage("shell", "-c", "from cong.content.models import ItemPage; print(ItemPage.objects.count())").strip().splitlines()[-1])
    if have < ITEMS:
        started = time.time()
        ctx.manage("shell", "-c", f"from bench.generate import generate_items; generate_items({ITEMS - have}, seed=3)")
        print(f"   generated {ITEMS - have} items in {time.time() - started:.0f} s", flush=True)


def _search_latencies(ctx: Context) -> str:
    script = f"""
import statistics, time
from cong.content.selectors import items_search
queries = {QUERIES!r}
for q in queries:
    items_search(q)
samples = []
for _ in range(3):
    for q in queries:
        t = time.perf_counter(); items_search(q, limit=20); samples.append((time.perf_counter() - t) * 1000)
samples.sort()
print(round(statistics.median(samples), 1), round(samples[int(len(samples) * 0.95) - 1], 1))
"""
    return ctx.manage("shell", "-c", script).strip().splitlines()[-1]


def run(ctx: Context) -> None:
    p50, p95 = map(float, _search_latencies(ctx).split())
    engine = "PostgreSQL" if ctx.database_url.startswith("postgres") else "SQLite"
    ctx.record(f"search, 20 queries x3 on {ITEMS:,} items ({engine}): p50", p50, "ms")
    ctx.record(f"search, 20 queries x3 on {ITEMS:,} items ({engine}): p95", p95, "ms", "target <= 100")
    article = ctx.manage("shell", "-c", (
        "from cong.content.models import ArticlePage; from wagtail.models import Site;"
        "s = Site.objects.get(hostname='stttt.localhost');"
        "a = ArticlePage.objects.live().filter(path__startswith=s.root_page.path).order_by('-first_published_at').first();"
        "print(a.url_path[len(s.root_page.url_path) - 1:])"
    )).strip().splitlines()[-1]
    host = "stttt.localhost"
    pages = [("article page", article), ("section list", "/tin-tuc-su-kien/")]
    with server(ctx, extra_env={"CONG_PAGE_CACHE": "off"}) as base:
        for label, path in pages:
            for _ in range(30):
                fetch(f"{base}{path}", host)
            r = median_wrk(ctx, f"{base}{path}", host=host)
            ctx.record(f"{label}, uncached: requests/s", r.rps, "req/s", "target >= 200")
            ctx.record(f"{label}, uncached: p99", r.p99_ms, "ms")
    with server(ctx, extra_env={"CONG_PAGE_CACHE": "file"}) as base:
        for label, path in pages:
            fetch(f"{base}{path}", host)
            r = median_wrk(ctx, f"{base}{path}", host=host)
            ctx.record(f"{label}, page cache: requests/s", r.rps, "req/s", "target >= 5000")
            ctx.record(f"{label}, page cache: p99", r.p99_ms, "ms")
        # a publish shows at once: purge, then the next request renders it
        before = fetch(f"{base}/tin-tuc-su-kien/", host)
        stamp = int(time.time())
        ctx.manage("shell", "-c", (
            "from cong.content.models import ArticlePage, Category; from wagtail.models import Site;"
            "s = Site.objects.get(hostname='stttt.localhost'); sec = s.root_page.get_children().get(slug='tin-tuc-su-kien');"
            f"p = sec.add_child(instance=ArticlePage(title='Tin vừa xuất bản để đo {stamp}', slug='vua-xuat-ban-{stamp}',"
            " category=Category.objects.get(slug='tin-tuc-su-kien'), live=False)); p.save_revision().publish()"
        ), CONG_PAGE_CACHE="file")
        after = fetch(f"{base}/tin-tuc-su-kien/", host)
        ok = f"Tin vừa xuất bản để đo {stamp}".encode() in after and before != after
        ctx.record("published item visible through the cache at once (1 = yes)", 1.0 if ok else 0.0, "")


