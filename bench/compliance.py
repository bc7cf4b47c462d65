"""Issue 9: compliance check of the whole demo network (34 portals) including
the accessibility sample in headless Chromium; content rules alone per portal.

Reduced runs: BENCH_COMPLIANCE_PORTALS=N checks only the first N portals.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .harness import Context

NAME = "compliance"
LIMIT = int(os.environ.get("BENCH_COMPLIANCE_PORTALS", "0"))

SCRIPT = """
import json, resource, statistics, time
from cong.compliance import services
from cong.units.models import Portal
portals = list(Portal.objects.filter(unit__active=True).select_related("unit", "site").order_by("pk"))
limit = {limit}
if limit:
    portals = portals[:limit]
content = []
for p in portals:
    t = time.perf_counter(); services.portal_check(p, scope="content"); content.append(time.perf_counter() - t)
cpu0 = time.process_time()
t = time.perf_counter(); runs = services.network_check(portals=portals); total = time.perf_counter() - t
cpu = time.process_time() - cpu0
child = resource.getrusage(resource.RUSAGE_CHILDREN)
per = [(r.finished_at - r.started_at).total_seconds() for r in runs]
for r, s in zip(runs, per):
    bad = sorted(r.results.filter(status__in=["fail", "error"]).values_list("rule_id", flat=True))
    print("portal", r.portal.unit.code, round(s, 2), "s", r.score, ",".join(bad) or "-")
print(json.dumps(dict(
    portals=len(portals), total=round(total, 1), per_median=round(statistics.median(per), 2),
    per_worst=round(max(per), 2), cpu=round(cpu, 1), chromium_cpu=round(child.ru_utime + child.ru_stime, 1),
    content_median=round(statistics.median(content), 3), content_worst=round(max(content), 3),
    incomplete=sum(not r.complete for r in runs),
)))
"""


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))


def run(ctx: Context) -> None:
    lines = ctx.manage("shell", "-c", SCRIPT.format(limit=LIMIT)).strip().splitlines()
    for line in lines:
        if line.startswith("portal "):
            print("   ", line[len("portal "):], flush=True)
    f = json.loads(lines[-1])
    n = f["portals"]
    ctx.record(f"whole network, {n} portals, with accessibility sample", f["total"], "s",
               "target < 300 for 34 portals on 2 cores")
    ctx.record(f"whole network, {n} portals: per portal, median", f["per_median"], "s")
    ctx.record(f"whole network, {n} portals: per portal, worst", f["per_worst"], "s")
    ctx.record("whole network: CPU of this process (rendering, rules)", f["cpu"], "s")
    ctx.record("whole network: CPU of Chromium (axe-core)", f["chromium_cpu"], "s")
    ctx.record("content rules per portal: median", f["content_median"], "s", "target < 2")
    ctx.record("content rules per portal: worst", f["content_worst"], "s", "target < 2")
    ctx.record("portals with an incomplete result", f["incomplete"], "portals")


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.compliance`` runs this benchmark alone."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import run as runner

    sys.argv = ["run.py", NAME, *(argv if argv is not None else sys.argv[1:])]
    runner.main()


if __name__ == "__main__":
    main()
