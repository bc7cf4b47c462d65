"""Issue 4: the register of legal documents on 200,000 generated documents:
faceted search and the JSON API list (cold: caches cleared before every
query; warm: through the production server), and PDF text extraction
throughput over a folder of generated PDFs."""

from __future__ import annotations

import os
import time

from .harness import ROOT, Context, fetch, median_wrk, server

NAME = "gazette"
DOCS = int(os.environ.get("BENCH_DOCS", "200000"))
PDFS = int(os.environ.get("BENCH_PDFS", "200"))
HOST = "stttt.localhost"

DOC_TYPES = ["Quyết định", "Nghị quyết", "Chỉ thị", "Kế hoạch", "Thông báo", "Công văn", "Báo cáo",
             "Hướng dẫn", "Tờ trình", "Quy định"]
FIELDS = ["Hành chính", "Đất đai", "Đầu tư", "Giáo dục", "Y tế", "Giao thông", "Thông tin truyền thông",
          "Tài chính", "Nông nghiệp", "Văn hóa", "Xây dựng", "Tài nguyên môi trường", "Lao động", "Nội vụ"]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
           "Võ Thị Phương", "Đặng Văn Giang", "Bùi Thị Hạnh", "Đỗ Văn Khoa", "Ngô Thị Lan"]
TITLES = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng"]
QUERIES = [
    # (portal or "" for the network, register parameters)
    ("stttt", {}),
    ("", {}),
    ("stttt", {"q": "chuyen doi so"}),
    ("stttt", {"q": "cải cách hành chính"}),
    ("", {"q": "quan ly dat dai"}),
    ("", {"q": "đầu tư công", "nam": "2023"}),
    ("stttt", {"loai": "Quyết định"}),
    ("stttt", {"loai": "Nghị quyết", "qppl": "1"}),
    ("", {"qppl": "1"}),
    ("stttt", {"nam": "2022", "linh_vuc": "Y tế"}),
    ("", {"co_quan": "Ủy ban nhân dân tỉnh Bình An"}),
    ("stttt", {"nguoi_ky": "Trần Thị Bình"}),
    ("stttt", {"hieu_luc": "in_force", "ngay": "2024-06-30"}),
    ("", {"hieu_luc": "expired", "ngay": "2024-06-30", "loai": "Chỉ thị"}),
    ("stttt", {"q": "an toan thuc pham", "loai": "Kế hoạch"}),
    ("", {"q": "\"phong chong dich benh\""}),
    ("stttt", {"q": "du lich sinh thai", "hieu_luc": "in_force"}),
    ("stttt", {"loai": "Công văn", "nam": "2020", "trang": "20"}),
    ("", {"linh_vuc": "Giáo dục", "nam": "2021"}),
    ("stttt", {"q": "khu cong nghiep 2024"}),
]


def generate_documents(total: int, seed: int = 4) -> int:
    """Insert ``total`` documents spread over every portal, in bulk (the
    derived columns computed as the services do; FTS rows by trigger)."""
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from bench.generate import PHRASES, VERBS
    from cong.core import cache_version
    from cong.core.calendar import add_working_days
    from cong.gazette import services
    from cong.gazette.models import LegalDocument
    from cong.units.models import Portal

    rng = random.Random(seed)
    portals = list(Portal.objects.select_related("unit"))
    deadlines: dict = {}
    start, span = dt.date(2015, 1, 1), 3650
    done, batch = 0, []
    counter = LegalDocument.objects.count()
    with transaction.atomic():
        while done < total:
            portal = portals[0] if rng.random() < 0.3 else rng.choice(portals)
            doc_type = rng.choice(DOC_TYPES)
            issued = start + dt.timedelta(days=rng.randrange(span))
            counter += 1
            a, b = rng.sample(PHRASES, 2)
            effective = issued + dt.timedelta(days=rng.choice([0, 0, 10, 15, 30]))
            doc = LegalDocument(
                portal=portal, number=f"{counter}/{issued.year}/{doc_type[:2].upper()}-{portal.unit.code[:8].upper()}",
                doc_type=doc_type, normative=doc_type in ("Nghị quyết", "Quyết định") and rng.random() < 0.15,
                issuer_name=portal.unit.name if rng.random() < 0.8 else "Ủy ban nhân dân tỉnh Bình An",
                signer=rng.choice(SIGNERS), signer_title=rng.choice(TITLES), issued_on=issued,
                effective_on=effective, expires_on=effective + dt.timedelta(days=1825) if rng.random() < 0.2 else None,
                field=rng.choice(FIELDS), summary=f"{rng.choice(VERBS)} {a} gắn với {b} năm {issued.year}",
                posted_at=timezone.make_aware(dt.datetime.combine(issued + dt.timedelta(days=rng.randint(0, 6)), dt.time(9))),
                text=" ".join(f"Điều {i}. Quy định về {rng.choice(PHRASES)} và {rng.choice(PHRASES)}." for i in range(1, 8)),
            )
            if issued not in deadlines:
                deadlines[issued] = add_working_days(issued, services.DEFAULT_POSTING_DAYS)
            doc.posting_deadline = deadlines[issued]
            services._derive(doc, rules_days=services.DEFAULT_POSTING_DAYS)
            doc.in_force_from = effective
            doc.in_force_until = doc.expires_on
            batch.append(doc)
            done += 1
            if len(batch) >= 5000:
                LegalDocument.objects.bulk_create(batch)
                batch = []
        if batch:
            LegalDocument.objects.bulk_create(batch)
        cache_version.bump(services.CACHE_SCOPE)
    services.facet_counts_rebuild()  # bulk_create bypasses LegalDocument.save()
    return done


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))
    have = int(ctx.manage("shell", "-c", "from cong.gazette.models import LegalDocument; print(LegalDocument.objects.count())").strip().splitlines()[-1])
    if have < DOCS:
        started = time.time()
        ctx.manage("shell", "-c", f"from bench.gazette import generate_documents; generate_documents({DOCS - have})")
        print(f"   generated {DOCS - have} documents in {time.time() - started:.0f} s", flush=True)
    # What autovacuum does on a live database: statistics, and on PostgreSQL
    # the visibility map that index-only scans need.
    analyze = "VACUUM ANALYZE" if ctx.database_url.startswith("postgres") else "ANALYZE"
    ctx.manage("shell", "-c", f"from django.db import connection; connection.cursor().execute('{analyze}')")


def _latencies(ctx: Context) -> str:
    """Cold figures: the register's three reads (page, count, facets) and the
    API list, each with the caches cleared, for every query."""
    script = f"""
import time
from django.core.cache import cache
from cong.gazette import selectors
from cong.units.models import Portal
queries = {QUERIES!r}
portals = {{p.site.hostname.split('.')[0]: p.pk for p in Portal.objects.select_related('site')}}
def filters_for(scope, params):
    from cong.gazette.forms import RegisterForm
    form = RegisterForm(params)
    form.is_valid()
    return form.filters(portals.get(scope) if scope else None)
register, api, slowest = [], [], {{}}
for run in range(3):
    for scope, params in queries:
        f = filters_for(scope, params)
        selectors.clear_local_caches()
        cache.clear()
        t = time.perf_counter()
        selectors.documents_page(f, page=int(params.get('trang', 1)))
        selectors.documents_count(f)
        selectors.documents_facets(f)
        register.append((time.perf_counter() - t) * 1000)
        label = (scope or "network") + " " + "&".join(f"{{k}}={{v}}" for k, v in params.items())
        slowest[label] = max(slowest.get(label, 0), register[-1])
        selectors.clear_local_caches()
        cache.clear()
        t = time.perf_counter()
        selectors.documents_page(f, page=int(params.get('trang', 1)))
        selectors.documents_count(f)
        api.append((time.perf_counter() - t) * 1000)
def p(samples, q):
    samples = sorted(samples)
    return round(samples[max(0, int(len(samples) * q + 0.5) - 1)], 1)
print("slowest register queries (ms):", "; ".join(f"{{k}} {{v:.0f}}" for k, v in sorted(slowest.items(), key=lambda kv: -kv[1])[:5]))
print(p(register, .5), p(register, .95), p(api, .5), p(api, .95))
"""
    lines = ctx.manage("shell", "-c", script).strip().splitlines()
    print("  ", lines[-2], flush=True)
    return lines[-1]


def _extraction(ctx: Context) -> str:
    script = f"""
import time
from pathlib import Path
from bench.generate import PHRASES
from cong.gazette.pdf import text_pdf
from cong.gazette.services import extract_pdf_text
folder = Path({str(ROOT / "var" / "bench" / "pdfs")!r})
folder.mkdir(parents=True, exist_ok=True)
for i in range({PDFS}):
    path = folder / f"van-ban-{{i:05d}}.pdf"
    if not path.exists():
        paras = [f"Điều {{k}}. " + " ".join(PHRASES[(i + k + j) % len(PHRASES)] for j in range(30)) for k in range(1, 25)]
        path.write_bytes(text_pdf(f"Quyết định số {{i}}", paras))
files = sorted(folder.glob("*.pdf"))[:{PDFS}]
size = sum(f.stat().st_size for f in files)
t = time.perf_counter()
chars = sum(len(extract_pdf_text(f.read_bytes(), f.name)) for f in files)
elapsed = time.perf_counter() - t
print(len(files) / elapsed, size / elapsed / 1e6, chars)
"""
    return ctx.manage("shell", "-c", script).strip().splitlines()[-1]


def run(ctx: Context) -> None:
    engine = "PostgreSQL" if ctx.database_url.startswith("postgres") else "SQLite"
    reg50, reg95, api50, api95 = map(float, _latencies(ctx).split())
    ctx.record(f"faceted search, cold, 20 queries x3, {DOCS:,} docs ({engine}): p50", reg50, "ms")
    ctx.record(f"faceted search, cold, 20 queries x3, {DOCS:,} docs ({engine}): p95", reg95, "ms", "target <= 150")
    ctx.record(f"API list, cold, 20 queries x3, {DOCS:,} docs ({engine}): p50", api50, "ms")
    ctx.record(f"API list, cold, 20 queries x3, {DOCS:,} docs ({engine}): p95", api95, "ms", "target <= 100")
    env = {"CONG_PAGE_CACHE": "off", "CONG_RATELIMIT_ENABLED": "false"}
    with server(ctx, extra_env=env) as base:
        for label, path in [
            ("register page, network, text + facets", "/cong-bao/?q=chuyen+doi+so&pham_vi=mang-luoi"),
            ("register page, portal, filters", "/cong-bao/?loai=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&nam=2022"),
            ("API list, text query", "/api/cong-bao/van-ban?q=cai+cach+hanh+chinh&so_luong=20"),
        ]:
            for _ in range(5):
                fetch(f"{base}{path}", HOST)
            r = median_wrk(ctx, f"{base}{path}", host=HOST)
            ctx.record(f"{label}, warm: requests/s", r.rps, "req/s")
            ctx.record(f"{label}, warm: p99", r.p99_ms, "ms", "target p95 <= 150 / 100")
            if r.errors or r.non_2xx:
                ctx.record(f"{label}: errors / non-2xx", r.errors + r.non_2xx, "count")
    docs_s, mb_s, _chars = map(float, _extraction(ctx).split())
    ctx.record(f"PDF text extraction over {PDFS} generated PDFs: documents/s", docs_s, "docs/s")
    ctx.record("PDF text extraction: throughput", mb_s, "MB/s")
