#!/usr/bin/env python3
"""Fault runs of issue 11, each on its OWN PostgreSQL cluster and Redis.

    deploy/faults/fault.py postgres   # stop PostgreSQL for --seconds (60)
    deploy/faults/fault.py redis      # stop Redis for --seconds
    deploy/faults/fault.py worker     # kill the task worker mid-task

Never touches the machine's shared PostgreSQL or Redis: it starts a private
cluster (initdb in var/faults/pg, port 45432, seeded with pg_dump of the
serve-prod database ``cong_prodlocal``: run ``make serve-prod`` once first)
and a private redis-server (port 46379), runs deploy/Procfile.local on them
(nginx :18080, gunicorn :18000), probes it four times a second during the
fault — a cached page, an uncached page, readiness — and prints what was
served, then the time from the end of the fault to ``/-/ready`` answering
200 again. Everything it started is stopped at the end.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "faults"
PG_PORT, REDIS_PORT, NGINX_PORT, PURGE_PORT, APP_PORT = 45432, 46379, 18080, 18081, 18000
HOST = "tinh.localhost"


def _env_file(path: Path) -> dict:
    out = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Private:
    """The private PostgreSQL cluster, Redis and recipe of one fault run."""

    def __init__(self):
        self.procs: list[subprocess.Popen] = []
        self.pgdata = VAR / "pg"
        self.redis = None
        self.stack = None

    # --- PostgreSQL -------------------------------------------------------------
    def pg_start(self):
        VAR.mkdir(parents=True, exist_ok=True)
        if not (self.pgdata / "PG_VERSION").exists():
            self.pgdata.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.pgdata, "postgres", "postgres")
            subprocess.run(_as_postgres(["initdb", "-D", str(self.pgdata), "-U", "postgres",
                                         "--auth=trust", "-E", "UTF8"]), check=True,
                           stdout=subprocess.DEVNULL)
        sock = str(self.pgdata)  # the socket beside the data, not the shared /tmp one
        subprocess.run(_as_postgres([
            "pg_ctl", "-D", str(self.pgdata), "-w", "-l", str(self.pgdata / "server.log"),
            "-o", f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {sock}", "start",
        ]), check=True, stdout=subprocess.DEVNULL)

    def pg_stop(self):
        subprocess.run(_as_postgres(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def pg_seed(self, source_url: str):
        url = f"postgres://postgres@127.0.0.1:{PG_PORT}"
        exists = subprocess.run(["psql", f"{url}/postgres", "-Atc",
                                 "select 1 from pg_database where datname='cong_faults'"],
                                capture_output=True, text=True).stdout.strip()
        if exists:
            return
        subprocess.run(["psql", f"{url}/postgres", "-qc", "create database cong_faults"], check=True)
        dump = subprocess.Popen(["pg_dump", "--no-owner", source_url], stdout=subprocess.PIPE)
        subprocess.run(["psql", "-q", f"{url}/cong_faults"], stdin=dump.stdout, check=True,
                       stdout=subprocess.DEVNULL)
        dump.wait()

    # --- Redis --------------------------------------------------------------------
    def redis_start(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(VAR)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait(lambda: _tcp(REDIS_PORT), 10)

    def redis_stop(self):
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(10)
            self.redis = None

    # --- the recipe ---------------------------------------------------------------
    def env(self) -> dict:
        env = {**os.environ, **_env_file(ROOT / "deploy" / "local.env")}
        env.update({
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/cong_faults",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CONG_NGINX_PORT": str(NGINX_PORT),
            "CONG_NGINX_PURGE_URL": f"http://127.0.0.1:{PURGE_PORT}",
            "CONG_APP_PORT": str(APP_PORT),
        })
        return env

    def stack_start(self):
        env = self.env()
        # nginx's files apart from serve-prod's
        env["CONG_NGINX_RUN_DIR"] = str(VAR / "nginx")
        env["CONG_PROMETHEUS_DIR"] = str(VAR / "prometheus")
        with open(VAR / "stack.log", "w") as log:
            self.stack = subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "honcho"), "-f", "deploy/Procfile.local", "-d", ".",
                 "start"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait(lambda: _get("/-/ready")[0] == 200, 120)

    def stack_stop(self):
        if self.stack is not None:
            self.stack.send_signal(signal.SIGTERM)
            try:
                self.stack.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.stack.pid, signal.SIGKILL)
            self.stack = None

    def close(self):
        self.stack_stop()
        self.redis_stop()
        self.pg_stop()


def _tcp(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _wait(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.25)
            continue
        time.sleep(0.25)
    raise SystemExit("timed out waiting for the recipe (see var/faults/stack.log)")


def _get(path: str, method: str = "GET", data: bytes | None = None):
    request = urllib.request.Request(f"http://127.0.0.1:{NGINX_PORT}{path}", method=method,
                                     data=data, headers={"Host": HOST})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:  # noqa: S310 - local recipe
            return r.status, r.headers.get("X-Cache-Status")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Cache-Status")
    except OSError:
        return 0, None


def probe(stop: threading.Event, seen: dict):
    """Four times a second: a cached page, an uncached page (search), readiness."""
    while not stop.is_set():
        for name, path in (("cached page", "/"), ("uncached page", "/tim-kiem/?q=a"),
                           ("ready", "/-/ready")):
            status, cache = _get(path)
            seen[name][f"{status} {cache or ''}".strip()] += 1
        time.sleep(0.25)


def run(kind: str, seconds: int) -> dict:
    private = Private()
    try:
        private.pg_start()
        private.pg_seed(_env_file(ROOT / "deploy" / "local.env")["DATABASE_URL"])
        private.redis_start()
        private.stack_start()
        for _ in range(2):
            _get("/")
        seen = collections.defaultdict(collections.Counter)
        stop = threading.Event()
        thread = threading.Thread(target=probe, args=(stop, seen), daemon=True)
        thread.start()
        if kind == "postgres":
            private.pg_stop()
            time.sleep(seconds)
            private.pg_start()
        elif kind == "redis":
            private.redis_stop()
            time.sleep(seconds)
            private.redis_start()
        else:
            raise SystemExit("worker: not automated yet (docs/runbook.md#fault-runs)")
        ended = time.monotonic()
        _wait(lambda: _get("/-/ready")[0] == 200, 300)
        recovery = time.monotonic() - ended
        stop.set()
        thread.join()
        return {"fault": kind, "seconds": seconds, "recovery_seconds": round(recovery, 2),
                "served": {k: dict(v) for k, v in seen.items()}}
    finally:
        private.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["postgres", "redis", "worker"])
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    result = run(args.kind, args.seconds)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
