"""Issue 7: outbox throughput against the fake Facebook Graph and Zalo OA
servers with 2 workers, and the time from publish to post under load."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .harness import PY, ROOT, Context

NAME = "syndication"
ITEMS = int(os.environ.get("BENCH_SYNDICATION_ITEMS", "300"))
LOAD_ITEMS = int(os.environ.get("BENCH_SYNDICATION_LOAD_ITEMS", "100"))
LOAD_RATE = float(os.environ.get("BENCH_SYNDICATION_RATE", "5"))  # items published per second
LATENCY = float(os.environ.get("BENCH_FAKE_LATENCY", "0.02"))  # seconds per fake API call
WORKERS = 2

SETUP = """
import io
from PIL import Image as PILImage
from django.core.files.base import ContentFile
from wagtail.images.models import Image
from cong.units.models import Unit
from cong.units import services
from cong.syndication.models import Channel
unit = Unit.objects.filter(code="bench-lantoa").first()
if unit is None:
    unit = services.unit_create(name="Sở Lan tỏa (đo)", unit_type="department", code="bench-lantoa",
                                parent=None, hostname="lantoa.localhost")
portal = unit.portal
if not Image.objects.filter(title="bench-cover").exists():
    buf = io.BytesIO(); PILImage.new("RGB", (1200, 630), (10, 120, 200)).save(buf, "PNG")
    Image.objects.create(title="bench-cover", file=ContentFile(buf.getvalue(), name="cover.png"),
                         collection=portal.collection)
"""

CHANNELS = """
from cong.syndication.models import Channel
from cong.units.models import Portal
portal = Portal.objects.get(unit__code="bench-lantoa")
Channel.objects.update_or_create(portal=portal, kind="facebook", defaults=dict(
    account_id="1000123", access_token="PAGE-TOKEN", dry_run=False, enabled=True))
Channel.objects.update_or_create(portal=portal, kind="zalo", defaults=dict(
    account_id="5555", app_id="4321", app_secret="APP-SECRET", access_token="ZALO-AT-1",
    refresh_token="ZALO-RT-1", access_token_expires_at=None, dry_run=False, enabled=True))
from django.utils import timezone; import datetime as dt
Channel.objects.filter(portal=portal, kind="zalo").update(access_token_expires_at=timezone.now() + dt.timedelta(days=1))
"""

PUBLISH = """
import time, uuid
from wagtail.images.models import Image
from cong.content.models import ArticlePage, Category
from cong.units.models import Portal
portal = Portal.objects.get(unit__code="bench-lantoa")
section = portal.site.root_page.get_children().get(slug="tin-tuc-su-kien")
category = Category.objects.get(slug="tin-tuc-su-kien")
image = Image.objects.get(title="bench-cover")
n, rate = {n}, {rate}
started = time.monotonic()
for i in range(n):
    if rate:
        wait = started + i / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    slug = "lan-toa-" + uuid.uuid4().hex[:12]
    page = section.add_child(instance=ArticlePage(
        title=f"Tin lan tỏa {{slug}}", slug=slug, summary="Tóm tắt tin để đo.", category=category,
        featured_image=image, spread_zalo=True, spread_facebook=True, live=False))
    page.save_revision().publish()
print("published", n)
"""

WORKER = """
import time
from cong.syndication.services import outbox_drain
deadline = time.monotonic() + {seconds}
total = 0
while time.monotonic() < deadline:
    counts = outbox_drain(max_seconds=5, limit=10**9)
    total += counts["delivered"]
    if not counts["delivered"] and not counts["reconciled"]:
        if {until_empty}:
            break
        time.sleep(0.05)
print("delivered", total)
"""

STATS = """
import statistics
from cong.syndication.models import OutboxPost
rows = OutboxPost.objects.filter(portal__unit__code="bench-lantoa", pk__gt={after})
sent = rows.filter(state="sent", operation="create")
lat = sorted((r.sent_at - r.created_at).total_seconds() for r in sent)
states = {{}}
for s in rows.values_list("state", flat=True):
    states[s] = states.get(s, 0) + 1
p50 = statistics.median(lat) if lat else 0
p95 = lat[max(int(len(lat) * 0.95) - 1, 0)] if lat else 0
from django.db.models import Max, Min
from cong.syndication.models import Attempt
first = Attempt.objects.filter(post__in=rows).aggregate(t=Min("started_at"))["t"]
last = sent.aggregate(t=Max("sent_at"))["t"]
window = (last - first).total_seconds() if first and last else 0
print(rows.count(), sent.count(), round(p50, 3), round(p95, 3), round(window, 3), states)
"""


def _last_pk(ctx: Context, env: dict) -> int:
    out = ctx.manage("shell", "-c", "from cong.syndication.models import OutboxPost;"
                     "print(OutboxPost.objects.order_by('-pk').values_list('pk', flat=True).first() or 0)", **env)
    return int(out.strip().splitlines()[-1])


def _spawn(ctx: Context, script: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=ctx.env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait(procs: list[subprocess.Popen], check: bool = True) -> None:
    for p in procs:
        _out, err = p.communicate()
        if check and p.returncode:
            raise RuntimeError(f"benchmark process failed: {err[-2000:]}")


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("shell", "-c", SETUP)


def run(ctx: Context) -> None:
    sys.path.insert(0, str(ROOT))
    from cong.syndication.tests.fakes import FakeGraph, FakeZalo

    with FakeGraph() as graph, FakeZalo() as zalo:
        graph.latency = zalo.latency = LATENCY
        env = {
            "CONG_FACEBOOK_GRAPH_URL": graph.base_url, "CONG_ZALO_OPENAPI_URL": zalo.base_url,
            "CONG_ZALO_OAUTH_URL": zalo.base_url, "CONG_TASK_BACKEND": "database",
        }
        ctx.manage("shell", "-c", CHANNELS, **env)

        # 1. throughput: a backlog of 2 x ITEMS rows emptied by 2 workers
        after = _last_pk(ctx, env)
        ctx.manage("shell", "-c", PUBLISH.format(n=ITEMS, rate=0), **env)
        started = time.monotonic()
        _wait([_spawn(ctx, WORKER.format(seconds=900, until_empty=True), env) for _ in range(WORKERS)])
        elapsed = time.monotonic() - started
        rows, sent, _p50, _p95, window, states = ctx.manage("shell", "-c", STATS.format(after=after), **env) \
            .strip().splitlines()[-1].split(" ", 5)
        print(f"   backlog: {rows} rows, {sent} posts created, states {states}; "
              f"{elapsed:.1f} s with worker start-up", flush=True)
        ctx.record(f"outbox throughput, {WORKERS} workers, {LATENCY * 1000:.0f} ms/API call: posts/s",
                   int(sent) / max(float(window), 0.001), "posts/s", "first claim to last post")
        duplicates = len(graph.posts) - len({p["link"] for p in graph.posts.values()})
        duplicates += len(zalo.articles) - len({a["title"] for a in zalo.articles.values()})
        ctx.record("duplicate posts on the fake channels", duplicates, "", "target 0")

        # 2. publish-to-post time while items keep coming at LOAD_RATE per second
        after = _last_pk(ctx, env)
        seconds = LOAD_ITEMS / LOAD_RATE + 60
        workers = [_spawn(ctx, WORKER.format(seconds=seconds, until_empty=False), env) for _ in range(WORKERS)]
        _wait([_spawn(ctx, PUBLISH.format(n=LOAD_ITEMS, rate=LOAD_RATE), env)])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows, sent, p50, p95, _window, states = ctx.manage("shell", "-c", STATS.format(after=after), **env) \
                .strip().splitlines()[-1].split(" ", 5)
            if int(sent) >= 2 * LOAD_ITEMS:
                break
            time.sleep(1)
        for p in workers:
            p.terminate()
        _wait(workers, check=False)
        print(f"   under load: {rows} rows, {sent} posts created, states {states}", flush=True)
        ctx.record(f"publish to post, {LOAD_RATE:g} items/s x 2 channels: p50", float(p50), "s")
        ctx.record(f"publish to post, {LOAD_RATE:g} items/s x 2 channels: p95", float(p95), "s")


def main(argv: list[str] | None = None) -> None:
    """Run alone: python -m bench.syndication [DATABASE_URL]."""
    from .harness import VAR

    argv = sys.argv[1:] if argv is None else argv
    VAR.mkdir(parents=True, exist_ok=True)
    ctx = Context(database_url=argv[0] if argv else f"sqlite:///{VAR / 'syndication.sqlite3'}")
    prepare(ctx)
    run(ctx)


if __name__ == "__main__":
    main()
