"""Run Cổng's benchmarks: ``make bench`` (or ``python bench/run.py pages``).

Each benchmark module prepares its own database under var/bench/, runs the
production server where it needs one, and prints its figures (medians of
several runs). Results are also written to var/bench/results.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import VAR, Context

BENCHMARKS = ["pages", "publishing", "gazette", "engagement", "analytics", "syndication", "compliance", "security", "reporting", "deploy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {BENCHMARKS})")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--database-url", default=None, help="default: a SQLite file per benchmark")
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        db = args.database_url or f"sqlite:///{VAR / (name + '.sqlite3')}"
        ctx = Context(database_url=db, runs=args.runs, duration=args.duration)
        print(f"== {name}: {module.__doc__.strip().splitlines()[0]}", flush=True)
        print(f"   database: {db}", flush=True)
        started = time.time()
        if not args.skip_prepare and hasattr(module, "prepare"):
            module.prepare(ctx)
        module.run(ctx)
        results[name] = {"database": db, "seconds": round(time.time() - started),
                         "figures": [asdict(f) for f in ctx.figures]}
    (VAR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
