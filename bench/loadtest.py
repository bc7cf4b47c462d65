"""Mixed citizen load against the production recipe (``make loadtest``).

What citizens do, at 10x the seed portal's peak (1,700 requests/s):

- 85 % page views: home pages, sections, articles and gazette pages of every
  portal (nginx's page cache answers them once warm);
- 12 % analytics beacons (``POST /-/a/e``, pageviews and heartbeats, as the
  tracker script sends them);
- 2 % searches (``/tim-kiem/?q=``: popular queries and a long tail of
  queries asked once);
- 1 % questions submitted (``/hoi-dap/gui-cau-hoi/``): the form is fetched
  (CSRF cookie and token), a proof-of-work challenge is fetched from
  ``/-/pow/`` and solved, and the form is posted; every accepted question is
  looked up in the database at the end (none may be lost).

Pages, beacons and searches are replayed by one wrk process each
(deploy/loadtest/kind.lua), paced to their share of ``--rate`` with Poisson
arrivals, so every kind has its own latency percentiles; questions by a
Python client at their share. Each simulated citizen has its own address
(X-Forwarded-For, trusted from loopback by the recipe's nginx).

    make loadtest                                  # 10 minutes, the record run
    make loadtest LOADTEST_DURATION=60s            # development
    python bench/loadtest.py --duration 60 --rate 1700

Needs the recipe running (``make serve-prod``) and reads its database to
choose the pages. Before measuring, a warm-up brings the recipe to the state
of a site that has been running: every page fetched twice, every popular
search of every portal asked once, and each kind of request the application
answers sent to every portal (``--no-warm-up`` measures a cold start).
Prints throughput, p50/p95/p99 and errors per kind and for all requests
together, and PASS/FAIL against the targets: the offered rate
held (98 %), p99 of all requests <= 200 ms, 0 errors, no accepted question
lost.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIX = {"page": 85, "beacon": 12, "search": 2, "question": 1}
# Popular searches; the long tail adds a number to one of them (asked once).
SEARCH_TERMS = [
    "thông báo", "kế hoạch", "hội nghị", "chuyển đổi số", "y tế", "giáo dục", "văn bản",
    "quyết định", "tuyển dụng", "dịch vụ công", "lịch công tác", "đấu thầu", "ngân sách",
    "nông thôn mới", "phòng chống dịch", "cải cách hành chính", "đất đai", "xây dựng",
    "giao thông", "môi trường", "du lịch", "an toàn thực phẩm", "bảo hiểm xã hội",
    "học bổng", "thi tuyển công chức", "quy hoạch", "thuế", "khuyến nông", "điện", "nước sạch",
]
COLLECT_PATH = "/-/a/e"
QUESTION_PATH = "/hoi-dap/gui-cau-hoi/"
POW_PATH = "/-/pow/"


def parse_duration(text: str) -> int:
    """600, "600s", "10m", "1h" -> seconds."""
    m = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", str(text))
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (600, 60s, 10m)")
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def pages_by_host(limit_per_host: int) -> dict[str, list[str]]:
    """Home, sections, newest items and gazette pages of every portal."""
    from wagtail.models import Page, Site

    gazette: dict[int, list[int]] = {}
    try:
        from cong.gazette.models import LegalDocument

        for portal_site, pk in (LegalDocument.objects.order_by("-pk")
                                .values_list("portal__site_id", "pk")[:2000]):
            gazette.setdefault(portal_site, []).append(pk)
    except (ImportError, LookupError):
        gazette = {}
    out = {}
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        prefix = len(root.url_path) - 1
        live = Page.objects.live().descendant_of(root)
        sections = [p[prefix:] for p in live.filter(depth=root.depth + 1)
                    .values_list("url_path", flat=True)]
        items = [p[prefix:] for p in live.filter(depth__gt=root.depth + 1)
                 .order_by("-last_published_at").values_list("url_path", flat=True)[:limit_per_host]]
        docs = [f"/cong-bao/van-ban/{pk}/" for pk in gazette.get(site.pk, [])[:10]]
        out[site.hostname] = ["/", "/cong-bao/", *sections, *items, *docs]
    return out


def _client(rng: random.Random) -> str:
    # one of ~16,000 citizens (a carrier-grade NAT range)
    return f"100.64.{rng.randrange(64)}.{rng.randrange(1, 255)}"


def _zipf_index(rng: random.Random, n: int, s: float = 1.1) -> int:
    weights = [1 / (k + 1) ** s for k in range(n)]
    return rng.choices(range(n), weights)[0]


def build_requests(pages: dict[str, list[str]], *, lines: int, seed: int, site_port: int,
                   search_unique: float, searches: int = 0) -> dict[str, list[str]]:
    """Request lines for kind.lua, per kind. wrk replays each file as a
    ring, so the searches get at least ``searches`` lines (what the run
    sends): a query of the long tail is then asked once, not once a lap."""
    rng = random.Random(seed)
    hosts = sorted(pages)
    out: dict[str, list[str]] = {"page": [], "beacon": [], "search": []}
    for _ in range(lines):
        host = rng.choice(hosts)
        out["page"].append(f"GET\t{host}\t{_client(rng)}\t{rng.choice(pages[host])}\t")
    for _ in range(max(200, lines * MIX["beacon"] // MIX["page"])):
        host = rng.choice(hosts)
        pid = uuid.uuid4().hex[:16]
        if rng.random() < 0.6:
            url = f"http://{host}:{site_port}{rng.choice(pages[host])}"
            beacon = {"t": "p", "id": pid, "u": url, "r": ""}
        else:
            beacon = {"t": "h", "id": pid, "e": rng.randrange(5, 600)}
        body = json.dumps(beacon, separators=(",", ":"))
        out["beacon"].append(f"POST\t{host}\t{_client(rng)}\t{COLLECT_PATH}\t{body}")
    for _ in range(max(200, lines * MIX["search"] // MIX["page"], searches)):
        host = rng.choice(hosts)
        term = SEARCH_TERMS[_zipf_index(rng, len(SEARCH_TERMS))]
        if rng.random() < search_unique:
            term = f"{term} {rng.randrange(1, 10**6)}"
        query = urllib.parse.urlencode({"q": term})
        out["search"].append(f"GET\t{host}\t{_client(rng)}\t/tim-kiem/?{query}\t")
    for kind in out:
        rng.shuffle(out[kind])
    return out


def _connection(base: str) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"the load test sends traffic to this machine only, not {base}")
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)


def _send(base: str, host: str, method: str, path: str, *, body: str | None = None,
          client: str | None = None, times: int = 1) -> int:
    """Send one request ``times`` over one connection; the last status (0:
    the connection failed)."""
    headers = {"Host": host, "User-Agent": "Mozilla/5.0 (cong-loadtest)"}
    if client:
        headers["X-Forwarded-For"] = client
    if body:
        headers["Content-Type"] = "text/plain;charset=UTF-8"
    conn = _connection(base)
    status = 0
    try:
        for _ in range(times):
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status


def warm_up(base: str, pages: dict[str, list[str]], workers: int = 4) -> dict[str, list[str]]:
    """Fetch every page of the mix twice, as a running site's cache holds
    them; keep the pages that answered 200 (a redirect or a 404 is not a
    page view)."""
    targets = [(h, p) for h, paths in pages.items() for p in paths]
    kept: dict[str, list[str]] = {}
    with ThreadPoolExecutor(workers) as pool:
        statuses = pool.map(lambda t: _send(base, t[0], "GET", t[1], times=2), targets)
        for (host, path), status in zip(targets, statuses, strict=True):
            if status == 200:
                kept.setdefault(host, []).append(path)
    return kept


def warm_up_application(base: str, hosts: list[str], site_port: int, workers: int = 4) -> dict:
    """What a running site has already done before its peak: every popular
    search of every portal asked once (nginx caches it, as it holds what
    citizens asked in the last minutes), and each kind of request the
    application answers (beacon, question form, proof-of-work challenge)
    sent to each portal, so that the measured run starts from the steady
    state, not from a server just started. Each request comes from its own
    address of the benchmarking range 198.18.0.0/15, so no per-citizen limit
    applies. Returns the statuses per kind."""
    requests = [("search", host, "GET", "/tim-kiem/?" + urllib.parse.urlencode({"q": term}), None)
                for host in hosts for term in SEARCH_TERMS]
    for host in hosts:
        body = json.dumps({"t": "p", "id": uuid.uuid4().hex[:16], "u": f"http://{host}:{site_port}/", "r": ""})
        requests += [("beacon", host, "POST", COLLECT_PATH, body), ("form", host, "GET", QUESTION_PATH, None),
                     ("pow", host, "GET", POW_PATH, None)]

    def one(numbered):
        n, (kind, host, method, path, body) = numbered
        client = f"198.{18 + n // 65536 % 2}.{n // 256 % 256}.{n % 256}"
        return kind, _send(base, host, method, path, body=body, client=client)

    statuses: dict[str, Counter] = {}
    with ThreadPoolExecutor(workers) as pool:
        for kind, status in pool.map(one, enumerate(requests)):
            statuses.setdefault(kind, Counter())[status] += 1
    return {kind: dict(c) for kind, c in statuses.items()}


# --- questions: the form, the proof of work, the post --------------------------------


def solve_pow(challenge: dict) -> str:
    """The ALTCHA solution a citizen's browser computes (pow.js), base64."""
    salt = challenge["salt"].encode()
    target = bytes.fromhex(challenge["challenge"])
    base = hashlib.sha256(salt)
    for number in range(int(challenge["maxNumber"]) + 1):
        h = base.copy()
        h.update(str(number).encode())
        if h.digest() == target:
            payload = {"algorithm": challenge["algorithm"], "challenge": challenge["challenge"],
                       "number": number, "salt": challenge["salt"],
                       "signature": challenge["signature"]}
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise ValueError("challenge not solvable")


def _solver_init() -> None:
    # The citizens' phones solve the proof of work on their own processors;
    # here the solvers share the server's cores, so they yield to it.
    os.nice(10)


def solve_pow_timed(challenge: dict) -> tuple[str, float]:
    """solve_pow in a solver process: the solution and the CPU it took."""
    cpu = time.process_time()
    solution = solve_pow(challenge)
    return solution, time.process_time() - cpu


class Latencies:
    def __init__(self):
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = {}
        self.statuses: dict[str, Counter] = {}
        self.errors: Counter = Counter()

    def add(self, kind: str, ms: float, status: int):
        with self.lock:
            self.ms.setdefault(kind, []).append(ms)
            self.statuses.setdefault(kind, Counter())[str(status)] += 1

    def summary(self, kind: str, duration: float) -> dict:
        values = sorted(self.ms.get(kind, []))
        statuses = dict(self.statuses.get(kind, {}))

        def pct(p):
            return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 2) if values else 0.0

        bad = sum(n for code, n in statuses.items() if not code.startswith(("2", "3")))
        quantiles = [pct(i / 10) for i in range(1, 1001)]
        return {
            "quantiles_ms": quantiles,
            "kind": kind, "requests": len(values), "throughput_rps": round(len(values) / duration, 1),
            "latency_ms": {"p50": pct(50), "p95": pct(95), "p99": pct(99),
                           "max": round(values[-1], 2) if values else 0.0},
            "statuses": statuses, "errors_total": bad + self.errors[kind],
        }


class QuestionClient:
    """Citizens submitting questions at ``rate`` per second (Poisson)."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    KEY = re.compile(r'name="submission_key" value="([^"]+)"')
    CODE = re.compile(r'class="tracking-code">([^<]+)<')

    def __init__(self, base: str, hosts: list[str], rate: float, seed: int, stats: Latencies):
        self.base, self.hosts, self.rate, self.stats = base, hosts, rate, stats
        self.rng = random.Random(seed)
        self.accepted: list[str] = []
        self.refused: Counter = Counter()
        self.lock = threading.Lock()
        self.cpu_seconds = 0.0
        # Solved in other processes, at a lower priority: a solver holding
        # this process's GIL would delay the other clients' reading of their
        # answers and inflate the latencies they measure.
        self.solvers = ProcessPoolExecutor(2, initializer=_solver_init)
        self.solvers.submit(os.getpid).result()  # forked now, before any client thread runs

    def _request(self, conn, kind, method, path, host, client, body=None, headers=None):
        h = {"Host": host, "X-Forwarded-For": client, "User-Agent": "Mozilla/5.0 (cong-loadtest)",
             **(headers or {})}
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        self.stats.add(kind, (time.perf_counter() - start) * 1000, response.status)
        return response, data

    def submit_one(self, n: int) -> None:
        with self.lock:
            host = self.rng.choice(self.hosts)
            client = _client(self.rng)
        conn = _connection(self.base)
        try:
            response, page = self._request(conn, "question form", "GET", QUESTION_PATH, host, client)
            token, key = self.TOKEN.search(page), self.KEY.search(page)
            cookie = next((c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []
                           if c.startswith("csrftoken=")), None)
            if response.status != 200 or not (token and key and cookie):
                self.refused[f"form {response.status}"] += 1
                return
            response, text = self._request(conn, "proof of work", "GET", POW_PATH, host, client)
            if response.status != 200:
                self.refused[f"pow {response.status}"] += 1
                return
            solution, cpu = self.solvers.submit(solve_pow_timed, json.loads(text)).result()
            with self.lock:
                self.cpu_seconds += cpu
            form = {
                "csrfmiddlewaretoken": token.group(1), "submission_key": key.group(1),
                "kind": "question", "topic": f"Hỏi về thủ tục hành chính số {n}",
                "body": "Xin hỏi hồ sơ cần những giấy tờ gì và nộp ở đâu? Xin cảm ơn.",
                "name": "Nguyễn Văn An", "phone": "0912345678", "consent": "on", "pow": solution,
            }
            response, page = self._request(
                conn, "question", "POST", QUESTION_PATH, host, client,
                body=urllib.parse.urlencode(form),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            code = self.CODE.search(page)
            if response.status == 200 and code:
                with self.lock:
                    self.accepted.append(code.group(1).strip())
            else:
                self.refused[f"post {response.status}"] += 1
        except (OSError, http.client.HTTPException, ValueError) as exc:
            self.stats.errors["question"] += 1
            self.refused[type(exc).__name__] += 1
        finally:
            conn.close()

    def run(self, duration: float, workers: int = 48) -> None:
        if self.rate <= 0:
            return
        end = time.monotonic() + duration
        slot = time.monotonic()
        n = 0
        with ThreadPoolExecutor(workers) as pool:
            while True:
                slot += self.rng.expovariate(self.rate)
                if slot >= end:
                    break
                time.sleep(max(0.0, slot - time.monotonic()))
                n += 1
                pool.submit(self.submit_one, n)
        self.solvers.shutdown()


def lost_questions(codes: list[str]) -> int:
    """Accepted questions (a receipt with a tracking code) missing from the database."""
    from cong.engagement.models import Question

    found = set()
    for i in range(0, len(codes), 500):
        found |= set(Question.objects.filter(tracking_code__in=codes[i:i + 500])
                     .values_list("tracking_code", flat=True))
    return len(set(codes) - found)


# --- wrk ------------------------------------------------------------------------------


def start_wrk(base: str, kind: str, lines: list[str], *, rate: float, duration: int,
              connections: int, threads: int, tmp: Path) -> subprocess.Popen:
    request_file = tmp / f"{kind}.tsv"
    request_file.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "CONG_LOADTEST_REQUESTS": str(request_file),
           "CONG_LOADTEST_RATE": str(rate), "CONG_LOADTEST_THREADS": str(threads),
           "CONG_LOADTEST_KIND": kind}
    cmd = ["wrk", f"-t{threads}", f"-c{max(connections, threads)}", f"-d{duration}s",
           "--timeout", "10s", "-s", str(ROOT / "deploy" / "loadtest" / "kind.lua"), base]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate()
    line = next((x for x in out.splitlines() if x.startswith("CONG_LOADTEST ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result: {out[-500:]} {err[-500:]}")
    result = json.loads(line.split(" ", 1)[1])
    result["throughput_rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    bad_status = sum(n for code, n in result["statuses"].items() if not code.startswith(("2", "3")))
    socket_errors = sum(v for k, v in result["errors"].items() if k != "status")
    result["errors_total"] = bad_status + socket_errors
    return result


def run(args) -> dict:
    _django()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run scripts/deploy-packages.sh as root")
    pages = pages_by_host(args.pages_per_host)
    if not pages:
        sys.exit("no portal in the database: run `make serve-prod` first")
    if not args.no_warm_up:
        t = time.monotonic()
        pages = warm_up(args.base, pages)
        print(f"warm-up: {sum(map(len, pages.values()))} pages of {len(pages)} portals answered 200 "
              f"(fetched twice, {time.monotonic() - t:.0f} s)", flush=True)
    if not pages:
        sys.exit("no page answered 200: is the recipe running (make serve-prod)?")
    site_port = int(os.environ.get("CONG_SITE_PORT", urllib.parse.urlsplit(args.base).port or 80))
    if not args.no_warm_up:
        t = time.monotonic()
        seen = warm_up_application(args.base, sorted(pages), site_port)
        print(f"warm-up: popular searches and the application's requests on every portal "
              f"({time.monotonic() - t:.0f} s): {json.dumps(seen, sort_keys=True)}", flush=True)
    total = sum(MIX.values())
    rates = {k: args.rate * v / total for k, v in MIX.items()} if args.rate > 0 else \
        dict.fromkeys(MIX, 0.0)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(10**6)
    lines = build_requests(pages, lines=args.lines, seed=args.seed, site_port=site_port,
                           search_unique=args.search_unique,
                           searches=int(rates["search"] * args.duration * 1.1))
    if args.rate <= 0:
        rates["question"] = 17.0
    connections = {"page": args.connections, "beacon": max(8, args.connections // 4),
                   "search": max(8, args.connections // 4)}
    threads = {"page": 2, "beacon": 1, "search": 1}
    stats = Latencies()
    questions = QuestionClient(args.base, sorted(pages), rates["question"], args.seed, stats)
    print(f"offering {args.rate:,.0f} req/s for {args.duration} s (seed {args.seed}): "
          + ", ".join(f"{k} {r:,.0f}/s" for k, r in rates.items()), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        procs = {kind: start_wrk(args.base, kind, lines[kind], rate=rates[kind],
                                 duration=args.duration, connections=connections[kind],
                                 threads=threads[kind], tmp=Path(tmp))
                 for kind in ("page", "beacon", "search")}
        started = time.monotonic()
        questions.run(args.duration)
        question_duration = time.monotonic() - started
        kinds = {kind: wrk_result(proc) for kind, proc in procs.items()}
    kinds["question"] = stats.summary("question", question_duration)
    side = {k: stats.summary(k, question_duration) for k in ("question form", "proof of work")}
    lost = lost_questions(questions.accepted)
    all_requests = sum(k["requests"] for k in kinds.values())
    result = {
        "duration_s": args.duration, "offered_rps": args.rate, "seed": args.seed,
        "throughput_rps": round(sum(k["throughput_rps"] for k in kinds.values()), 1),
        "requests": all_requests,
        "errors_total": sum(k["errors_total"] for k in kinds.values()),
        "kinds": kinds, "question_steps": side,
        "questions": {"accepted": len(questions.accepted), "refused": dict(questions.refused),
                      "lost": lost, "pow_cpu_seconds": round(questions.cpu_seconds, 1)},
        "portals": len(pages), "pages": sum(map(len, pages.values())),
        "target": {"rps": args.rate, "p99_ms": args.target_p99_ms, "errors": 0},
    }
    result["latency_ms"] = merged_percentiles(kinds.values(), (50, 95, 99))
    result["passed"] = (
        (args.rate <= 0 or result["throughput_rps"] >= 0.98 * args.rate)
        and result["latency_ms"]["p99"] <= args.target_p99_ms
        and result["errors_total"] == 0 and lost == 0
    )
    for k in kinds.values():
        k.pop("quantiles_ms", None)
    for k in side.values():
        k.pop("quantiles_ms", None)
    return result


def merged_percentiles(kinds, percents) -> dict:
    """Percentiles of all requests together, from each kind's latency at
    every 0.1 % weighted by its number of requests."""
    points = []
    for k in kinds:
        q = k.get("quantiles_ms") or []
        if k["requests"] and q:
            weight = k["requests"] / len(q)
            points += [(float(v), weight) for v in q]
    points.sort()
    total = sum(w for _, w in points)
    out = {}
    for p in percents:
        acc, value = 0.0, 0.0
        for v, w in points:
            acc += w
            value = v
            if acc >= total * p / 100:
                break
        out[f"p{p}"] = round(value, 2)
    return out


def report(result: dict) -> None:
    print(f"\n{'kind':<16}{'req/s':>9}{'requests':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}{'errors':>8}  statuses")
    rows = list(result["kinds"].items()) + [(f"  ({k})", v) for k, v in result["question_steps"].items()]
    for kind, k in rows:
        lat = k["latency_ms"]
        print(f"{kind:<16}{k['throughput_rps']:>9,.1f}{k['requests']:>10,}{lat['p50']:>9.1f}"
              f"{lat['p95']:>9.1f}{lat['p99']:>9.1f}{lat['max']:>9.0f}{k['errors_total']:>8}  "
              f"{json.dumps(k['statuses'], sort_keys=True)}")
    q = result["questions"]
    lat = result["latency_ms"]
    print(f"{'all':<16}{result['throughput_rps']:>9,.1f}{result['requests']:>10,}{lat['p50']:>9.1f}"
          f"{lat['p95']:>9.1f}{lat['p99']:>9.1f}{'':>9}{result['errors_total']:>8}")
    print(f"\nquestions: {q['accepted']} accepted, {q['lost']} lost (accepted but not in the "
          f"database), refused {q['refused'] or 'none'}; proof of work solved in "
          f"{q['pow_cpu_seconds']} s of the load generator's CPU")
    t = result["target"]
    print(f"target: {t['rps']:,.0f} req/s held, p99 of all requests <= {t['p99_ms']:.0f} ms, 0 errors, "
          f"0 lost -> {'PASS' if result['passed'] else 'FAIL'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=f"http://127.0.0.1:{os.environ.get('CONG_NGINX_PORT', '8080')}")
    parser.add_argument("--duration", type=parse_duration, default=600,
                        help="600, 60s, 10m (the issue: 10 minutes)")
    parser.add_argument("--rate", type=float, default=1700.0,
                        help="requests/s offered in the mix (0: as fast as the connections go)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections for pages")
    parser.add_argument("--target-p99-ms", type=float, default=200.0)
    parser.add_argument("--pages-per-host", type=int, default=40)
    parser.add_argument("--lines", type=int, default=20000, help="page requests in the mix file")
    parser.add_argument("--search-unique", type=float, default=0.1,
                        help="share of searches asked once (the long tail, never cached)")
    parser.add_argument("--seed", type=int, default=None,
                        help="the mix's random seed (default: a new one each run, printed, so a "
                             "rerun does not find the last run's long tail of searches cached)")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="measure from a cold start (default: fetch each page twice, ask the "
                             "popular searches of every portal once, send each kind of request the "
                             "application answers to every portal)")
    parser.add_argument("--json", default=None, help="also write the result here")
    args = parser.parse_args(argv)
    result = run(args)
    report(result)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
