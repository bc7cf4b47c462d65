"""Mixed citizen load against the production recipe (``make loadtest``).

About 85 % page views (home pages, sections, articles, gazette pages of every
portal), 12 % analytics beacons, 2 % searches, 1 % questions submitted,
replayed by wrk (deploy/loadtest/mix.lua) through nginx. Needs the recipe
running (``make serve-prod``); reads its database to choose the pages.

    python bench/loadtest.py --duration 600 --connections 128
    python bench/loadtest.py --beacon-path /-/a/collect --question-path /hoi-dap/gui/

A share whose endpoint this installation does not have (the analytics or
questions app not installed, no path given) is left out and said so; the
other shares keep their proportions. wrk is closed-loop: the figure is the
throughput held by ``--connections`` clients, compared with the target rate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIX = {"page": 85, "beacon": 12, "search": 2, "question": 1}
SEARCH_TERMS = ["thông báo", "kế hoạch", "hội nghị", "chuyển đổi số", "y tế", "giáo dục",
                "văn bản", "quyết định", "tuyển dụng", "dịch vụ công"]
BEACON_URL_NAMES = ["analytics_collect", "analytics:collect", "analytics_beacon"]
QUESTION_URL_NAMES = ["engagement_question_submit", "engagement:question_submit",
                      "engagement_question_create"]


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def _reverse_any(names):
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def pages_by_host(limit_per_host: int) -> dict[str, list[str]]:
    from wagtail.models import Page, Site

    out = {}
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        prefix = len(root.url_path) - 1
        paths = ["/"] + [
            p[prefix:] for p in Page.objects.live().descendant_of(root)
            .order_by("-last_published_at").values_list("url_path", flat=True)[:limit_per_host]
        ]
        out[site.hostname] = paths
    return out


def build_requests(args) -> tuple[list[str], dict]:
    """The request lines for mix.lua, in proportion, and what was left out."""
    _django()
    hosts = pages_by_host(args.pages_per_host)
    if not hosts:
        sys.exit("no portal in the database: run `make serve-prod` first")
    beacon = args.beacon_path or _reverse_any(BEACON_URL_NAMES)
    question = args.question_path or _reverse_any(QUESTION_URL_NAMES)
    shares = dict(MIX)
    notes = {}
    if not beacon:
        shares.pop("beacon")
        notes["beacon"] = "left out: no analytics collect endpoint in this installation"
    if not question:
        shares.pop("question")
        notes["question"] = "left out: no question submission endpoint in this installation"
    rng = random.Random(args.seed)
    host_names = sorted(hosts)
    lines = []
    total = sum(shares.values())
    for kind, weight in shares.items():
        for _ in range(round(args.lines * weight / total)):
            portal = rng.choice(host_names)
            # one of ~16,000 citizens (shared carrier-grade NAT range)
            client = f"100.64.{rng.randrange(64)}.{rng.randrange(1, 255)}"
            if kind == "page":
                lines.append(f"GET\t{portal}\t{client}\t{rng.choice(hosts[portal])}\t")
            elif kind == "search":
                q = urllib.parse.urlencode({"q": rng.choice(SEARCH_TERMS)})
                lines.append(f"GET\t{portal}\t{client}\t/tim-kiem/?{q}\t")
            elif kind == "beacon":
                body = urllib.parse.urlencode({"u": rng.choice(hosts[portal]), "r": "", "w": 1280})
                lines.append(f"POST\t{portal}\t{client}\t{beacon}\t{body}")
            elif kind == "question":
                body = urllib.parse.urlencode({"title": "Hỏi về thủ tục", "body": "Nội dung câu hỏi."})
                lines.append(f"POST\t{portal}\t{client}\t{question}\t{body}")
    rng.shuffle(lines)
    notes["shares"] = {k: round(100 * v / total, 1) for k, v in shares.items()}
    notes["hosts"] = len(host_names)
    return lines, notes


def warm_up(base: str, lines: list[str], workers: int = 4) -> int:
    """Fetch every distinct page of the mix once, as a running site's cache
    holds them; returns how many were fetched."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    targets = sorted({(x.split("\t")[1], x.split("\t")[3]) for x in lines
                      if x.startswith("GET\t") and "/tim-kiem/" not in x})

    def one(target):
        host, path = target
        request = urllib.request.Request(base + path, headers={"Host": host})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310 - local stack
                r.read()
        except OSError:
            return False
        return True

    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(one, targets))


def run_wrk(base: str, request_file: Path, *, duration: int, connections: int, threads: int) -> dict:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run scripts/deploy-packages.sh as root")
    env = {**os.environ, "CONG_LOADTEST_REQUESTS": str(request_file)}
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(ROOT / "deploy" / "loadtest" / "mix.lua"), base]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("CONG_LOADTEST "))
    result = json.loads(line.split(" ", 1)[1])
    result["throughput_rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["errors_total"] = sum(result["errors"].values())
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=f"http://127.0.0.1:{os.environ.get('CONG_NGINX_PORT', '8080')}")
    parser.add_argument("--duration", type=int, default=600, help="seconds (the issue: 600)")
    parser.add_argument("--connections", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--target-rps", type=float, default=1700.0)
    parser.add_argument("--target-p99-ms", type=float, default=200.0)
    parser.add_argument("--beacon-path", default=None)
    parser.add_argument("--question-path", default=None)
    parser.add_argument("--pages-per-host", type=int, default=60)
    parser.add_argument("--lines", type=int, default=5000, help="size of the request mix")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-warm-up", action="store_true",
                        help="measure from a cold cache (default: fetch each page once first)")
    parser.add_argument("--json", default=None, help="also write the result here")
    args = parser.parse_args(argv)
    lines, notes = build_requests(args)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        request_file = Path(f.name)
    if not args.no_warm_up:
        print(f"warming up: {warm_up(args.base, lines)} pages fetched once", flush=True)
    try:
        result = run_wrk(args.base, request_file, duration=args.duration,
                         connections=args.connections, threads=args.threads)
    finally:
        request_file.unlink(missing_ok=True)
    result.update(notes)
    result["target"] = {"rps": args.target_rps, "p99_ms": args.target_p99_ms, "errors": 0}
    result["passed"] = (result["throughput_rps"] >= args.target_rps
                        and result["latency_ms"]["p99"] <= args.target_p99_ms
                        and result["errors_total"] == 0)
    print(f"mix: {notes['shares']} over {notes['hosts']} portals")
    for kind in ("beacon", "question"):
        if kind in notes:
            print(f"  {kind}: {notes[kind]}")
    lat = result["latency_ms"]
    print(f"throughput {result['throughput_rps']} req/s (target {args.target_rps}), "
          f"p50 {lat['p50']} ms, p90 {lat['p90']} ms, p99 {lat['p99']} ms "
          f"(target {args.target_p99_ms}), max {lat['max']} ms, errors {result['errors']}")
    print("PASS" if result["passed"] else "FAIL (see the targets above)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
