"""What every benchmark shares: a database of its own, the production server
on 127.0.0.1 with 2 workers, wrk, and medians over several runs.

Benchmarks print their figures; they never run inside the test suite.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PY = str(ROOT / ".venv" / "bin" / "python")


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""

    def line(self) -> str:
        v = f"{self.value:,.1f}" if self.value < 1000 else f"{self.value:,.0f}"
        return f"  {self.name:<58} {v:>12} {self.unit:<8} {self.target}"


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0
    non_2xx: int = 0


@dataclass
class Context:
    database_url: str
    port: int = field(default_factory=lambda: int(os.environ.get("BENCH_PORT", "8765")))
    runs: int = 3
    duration: int = 10
    figures: list[Figure] = field(default_factory=list)

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": self.database_url,
            "DJANGO_DEBUG": "false",
            "CONG_LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        env.update(extra)
        return env

    def manage(self, *args, **env) -> str:
        out = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env(**env), check=True,
            capture_output=True, text=True,
        )
        return out.stdout

    def record(self, name, value, unit, target=""):
        fig = Figure(name, value, unit, target)
        self.figures.append(fig)
        print(fig.line(), flush=True)
        return fig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(ctx: Context, workers: int = 2, extra_env: dict | None = None):
    """The production server, as `make demo` runs it: gunicorn with
    ``workers`` synchronous worker processes, on 127.0.0.1."""
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application",
        "--config", str(ROOT / "config" / "gunicorn.py"),
        "--bind", f"127.0.0.1:{ctx.port}", "--workers", str(workers),
    ]
    # The server's output goes to a file: a pipe nobody reads fills up after
    # 64 KiB of log lines and then blocks the workers writing to it.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=ctx.env(**(extra_env or {})),
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{ctx.port}/robots.txt", timeout=2)
                    break
                except OSError:
                    time.sleep(0.3)
            else:
                log.seek(0)
                raise RuntimeError("server did not start: " + log.read().decode()[-2000:])
            yield f"http://127.0.0.1:{ctx.port}"
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            log.seek(0)
            lines = log.read().decode(errors="replace").splitlines()
            if lines:
                print(f"   the server wrote {len(lines)} log lines; the last: {lines[-1][:300]}", flush=True)


_LAT = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, host: str | None = None, connections: int = 32, duration: int = 10,
        threads: int = 2, script: str | None = None) -> WrkResult:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run scripts/system-packages.sh as root")
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if host:
        cmd += ["-H", f"Host: {host}"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {m.group(1): _ms(m.group(2), m.group(3)) for m in _LAT.finditer(out)}
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return WrkResult(rps=rps, p50_ms=lat.get("50", 0.0), p99_ms=lat.get("99", 0.0),
                     errors=errors, non_2xx=non2xx)


def median_wrk(ctx: Context, url: str, **kw) -> WrkResult:
    results = [wrk(url, duration=ctx.duration, **kw) for _ in range(ctx.runs)]
    return WrkResult(
        rps=statistics.median(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=sum(r.errors for r in results),
        non_2xx=sum(r.non_2xx for r in results),
    )


def timed(fn, runs: int = 3) -> float:
    """Median wall time of ``fn`` over ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fetch(url: str, host: str | None = None) -> bytes:
    if not url.startswith("http://127.0.0.1"):
        raise ValueError(f"benchmarks fetch only from 127.0.0.1, not {url}")
    req = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310
        return r.read()
