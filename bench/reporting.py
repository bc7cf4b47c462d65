"""Issue 8: the province's quarterly report (DOCX and JSON) on a network
with seven years of history.

16,500 items a year for the province and 3,000 for each other portal of the
demo network (2017-2023 and the first quarter of 2024), daily visits since
2017 for every portal, gazette documents, support cases and shares; then the
time of `manage.py report quarterly` for the province, JSON and DOCX (medians).
``BENCH_REPORT_YEARS`` shortens the history for a quick trial.
"""

from __future__ import annotations

import os
import time

from .harness import Context

NAME = "reporting"
YEARS = int(os.environ.get("BENCH_REPORT_YEARS", "7"))
FIRST_YEAR = 2024 - YEARS


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))
    done = ctx.manage("shell", "-c", (
        "from cong.core.models import ImportedRecord;"
        "print(ImportedRecord.objects.filter(kind='target', source_id__startswith='bt-').count())"
    )).strip().splitlines()[-1]
    if int(done) > 0:  # the history is complete (targets are written last)
        return
    started = time.time()
    ctx.manage("shell", "-c", _GENERATE.replace("FIRST_YEAR", str(FIRST_YEAR)))
    print(f"   generated {YEARS} years of history in {time.time() - started:.0f} s", flush=True)


_GENERATE = """
import datetime as dt, json, random
from bench.generate import generate_items
from cong.core.records import Importer
from cong.units.models import Portal
from cong.units.services import province_portal

province = province_portal().unit.code
codes = list(Portal.objects.values_list("unit__code", flat=True))
for year in range(FIRST_YEAR, 2025):
    last = dt.date(year, 3, 13) if year == 2024 else dt.date(year, 12, 31)
    share = 72 / 365 if year == 2024 else 1
    for code in codes:
        n = int((16500 if code == province else 3000) * share)
        generate_items(n, seed=year, start=dt.date(year, 1, 1), end=last, portal_codes=[code],
                       index=False, prefix=f"r{code}-")
rng = random.Random(8)

def records():
    for code in codes:
        yield {"kind": "target", "id": f"bt-{code}", "unit": code, "year": 2024,
               "items": 16500 if code == province else 3000}
        day = dt.date(FIRST_YEAR, 1, 1)
        while day <= dt.date(2024, 3, 13):
            v = rng.randint(2000, 400000) if code == province else rng.randint(50, 5000)
            yield {"kind": "visits_daily", "id": f"bv-{code}-{day}", "unit": code, "date": day.isoformat(),
                   "visits": v, "pageviews": v * 3, "visit_seconds": v * rng.randint(120, 420)}
            day += dt.timedelta(days=1)
    for i in range(800 * (2025 - FIRST_YEAR)):
        day = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * (2024 - FIRST_YEAR) + 70))
        yield {"kind": "legal_document", "id": f"bd-{i}", "unit": province, "number": f"{i}/{day.year}/QĐ-UBND",
               "doc_type": "Quyết định", "normative": i % 50 == 0, "issuer": "UBND tỉnh",
               "issued_on": day.isoformat(), "posted_at": f"{day.isoformat()}T15:00:00+07:00",
               "summary": f"Văn bản {i}"}
        yield {"kind": "support_case", "id": f"bs-{i}", "unit": province,
               "type": ["consultation", "announcement", "event_promotion", "phone"][i % 4],
               "opened_at": f"{day.isoformat()}T09:00:00+07:00", "summary": f"Hỗ trợ {i}",
               "province": "Bình Định"}

result = Importer().run(json.dumps(r, ensure_ascii=False) for r in records())
print(result.summary_lines())
"""


def run(ctx: Context) -> None:
    code = ctx.manage("shell", "-c", (
        "from cong.units.services import province_portal; print(province_portal().unit.code)"
    )).strip().splitlines()[-1]
    for suffix in ("json", "docx"):
        out = f"/tmp/cong-bench-report.{suffix}"  # noqa: S108 - a benchmark's scratch output
        samples = []
        for _ in range(max(ctx.runs, 3)):
            started = time.perf_counter()
            ctx.manage("report", "quarterly", "--unit", code, "--year", "2024", "--quarter", "1",
                       "--until", "2024-03-13", "--output", out)
            samples.append(time.perf_counter() - started)
        samples.sort()
        ctx.record(f"province quarterly report, {suffix.upper()}, {YEARS} years of history (whole command)",
                   round(samples[len(samples) // 2], 2), "s", "target < 5")
