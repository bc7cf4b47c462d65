"""Issue 9: compliance check of the whole demo network (34 portals) including
the accessibility sample in headless Chromium; content rules alone per portal.

Reduced runs: BENCH_COMPLIANCE_PORTALS=N checks only the first N portals.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .harness import Context

NAME = "compliance"
LIMIT = int(os.environ.get("BENCH_COMPLIANCE_PORTALS", "0"))

SCRIPT = """
import statistics, time
from cong.compliance import services
from cong.units.models import Portal
portals = list(Portal.objects.filter(unit__active=True).select_related("unit", "site").order_by("pk"))
limit = {limit}
if limit:
    portals = portals[:limit]
content = []
for p in portals:
    t = time.perf_counter(); services.portal_check(p, scope="content"); content.append(time.perf_counter() - t)
t = time.perf_counter(); runs = services.network_check(portals=portals); total = time.perf_counter() - t
incomplete = sum(not r.complete for r in runs)
print(len(portals), round(total, 1), round(statistics.median(content), 3), round(max(content), 3), incomplete)
"""


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))


def run(ctx: Context) -> None:
    out = ctx.manage("shell", "-c", SCRIPT.format(limit=LIMIT)).strip().splitlines()[-1]
    count, total, median, worst, incomplete = out.split()
    n = int(count)
    ctx.record(f"whole network, {n} portals, with accessibility sample", float(total), "s",
               "target < 300 for 34 portals on 2 cores")
    ctx.record(f"whole network, {n} portals: per portal", round(float(total) / max(n, 1), 2), "s")
    ctx.record("content rules per portal: median", float(median), "s", "target < 2")
    ctx.record("content rules per portal: worst", float(worst), "s", "target < 2")
    ctx.record("portals with an incomplete result", int(incomplete), "portals")


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.compliance`` runs this benchmark alone."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import run as runner

    sys.argv = ["run.py", NAME, *(argv if argv is not None else sys.argv[1:])]
    runner.main()


if __name__ == "__main__":
    main()
