#!/usr/bin/env python3
"""Fault runs of issue 11, each on its OWN PostgreSQL cluster and Redis.

    deploy/faults/fault.py postgres   # stop PostgreSQL for --seconds (60)
    deploy/faults/fault.py redis      # stop Redis for --seconds
    deploy/faults/fault.py worker     # kill a task worker mid-task

Never touches the machine's shared PostgreSQL or Redis: it starts a private
cluster (initdb in var/faults/pg, port BASE+32, seeded with pg_dump of the
serve-prod database — ``DATABASE_URL`` of the environment, else of
deploy/local.env: run ``make serve-prod`` once first) and a private
redis-server (port BASE+79), runs deploy/Procfile.local on them (nginx
BASE+90, gunicorn BASE+10), with ``--base-port BASE`` (24400, or
``CONG_FAULT_BASE_PORT``). Keep the ports below the kernel's ephemeral range
(``net.ipv4.ip_local_port_range``, 32768–60999 on Debian): while PostgreSQL
is stopped, the application keeps connecting to its port on 127.0.0.1, and a
connection whose own ephemeral port happens to be that port connects to
itself and holds it, so the cluster cannot listen on it again. During the fault it probes four times a second —
a cached page, an uncached page, readiness — and prints what was served, then
the time from the end of the fault to ``/-/ready`` answering 200 again.

``worker`` runs two task workers (as ``cong-worker@1`` and ``@2``), enqueues
a probe task that works 20 s (``cong.ops.tasks.fault_probe``), kills the
worker running it (SIGKILL to it and its work horse) halfway, and prints when
the other worker started it again and whether it ran exactly once more.
Everything it started is stopped at the end.
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
HOST = "tinh.localhost"
PG_PORT = REDIS_PORT = NGINX_PORT = PURGE_PORT = APP_PORT = 0


def set_ports(base: int) -> None:
    global PG_PORT, REDIS_PORT, NGINX_PORT, PURGE_PORT, APP_PORT
    PG_PORT, REDIS_PORT, NGINX_PORT, PURGE_PORT, APP_PORT = (
        base + 32, base + 79, base + 90, base + 91, base + 10)


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
        # seeded under another name, renamed when complete: an interrupted
        # seed is never taken for a database
        subprocess.run(["psql", f"{url}/postgres", "-qc", "drop database if exists cong_faults_seed"],
                       check=True)
        subprocess.run(["psql", f"{url}/postgres", "-qc", "create database cong_faults_seed"], check=True)
        dump = subprocess.Popen(["pg_dump", "--no-owner", source_url], stdout=subprocess.PIPE)
        subprocess.run(["psql", "-q", f"{url}/cong_faults_seed"], stdin=dump.stdout, check=True,
                       stdout=subprocess.DEVNULL)
        if dump.wait() != 0:
            raise SystemExit(f"pg_dump of {source_url} failed")
        subprocess.run(["psql", f"{url}/postgres", "-qc",
                        "alter database cong_faults_seed rename to cong_faults"], check=True)

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

    def stack_start(self, with_worker: bool = True):
        env = self.env()
        # nginx's files apart from serve-prod's
        env["CONG_NGINX_RUN_DIR"] = str(VAR / "nginx")
        env["CONG_PROMETHEUS_DIR"] = str(VAR / "prometheus")
        procfile = ROOT / "deploy" / "Procfile.local"
        if not with_worker:
            # the workers run apart (worker_start), as cong-worker@N do:
            # honcho would stop everything when one of its processes dies
            lines = [x for x in procfile.read_text().splitlines() if not x.startswith("worker:")]
            procfile = VAR / "Procfile.noworker"
            procfile.write_text("\n".join(lines) + "\n")
        with open(VAR / "stack.log", "w") as log:
            self.stack = subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "honcho"), "-f", str(procfile), "-d", str(ROOT),
                 "start"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait(lambda: _get("/-/ready")[0] == 200, 180)

    def worker_start(self, n: int) -> subprocess.Popen:
        log = open(VAR / f"worker{n}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([str(ROOT / "deploy" / "bin" / "cong-worker"), "--name",
                                 f"fault-worker-{n}-{os.getpid()}"], cwd=ROOT, env=self.env(),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def manage(self, *args) -> str:
        return subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
                              cwd=ROOT, env=self.env(), check=True, capture_output=True,
                              text=True).stdout

    def stack_stop(self):
        if self.stack is not None:
            self.stack.send_signal(signal.SIGTERM)
            try:
                self.stack.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.stack.pid, signal.SIGKILL)
            self.stack = None

    def close(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
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


def _get(path: str, method: str = "GET", data: bytes | None = None, client: str = ""):
    headers = {"Host": HOST}
    if client:
        headers["X-Forwarded-For"] = client
    request = urllib.request.Request(f"http://127.0.0.1:{NGINX_PORT}{path}", method=method,
                                     data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:  # noqa: S310 - local recipe
            return r.status, r.headers.get("X-Cache-Status")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Cache-Status")
    except OSError:
        return 0, None


def probe(stop: threading.Event, seen: dict):
    """Four times a second: a cached page, an uncached page (a search never
    asked before, by another citizen each time), readiness."""
    n = 0
    while not stop.is_set():
        n += 1
        for name, path in (("cached page", "/"), ("uncached page", f"/tim-kiem/?q=probe{n}"),
                           ("ready", "/-/ready")):
            status, cache = _get(path, client=f"100.65.{n // 250 % 250}.{n % 250 + 1}")
            seen[name][f"{status} {cache or ''}".strip()] += 1
        time.sleep(0.25)


def worker_fault(private: Private, work_seconds: float = 20.0) -> dict:
    """Kill the worker running a task halfway; the other runs it again."""
    workers = [private.worker_start(1), private.worker_start(2)]
    name = f"fault-{int(time.time())}"
    probe = ROOT / "var" / "faults" / "probes" / name
    private.manage("shell", "-c", "from cong.ops.tasks import fault_probe; "
                   f"fault_probe.enqueue({name!r}, {work_seconds})")
    _wait(lambda: probe.exists() and "start" in probe.read_text(), 120)
    horse = int(probe.read_text().split()[1])
    parent = int(Path(f"/proc/{horse}/stat").read_text().rsplit(")", 1)[1].split()[1])
    victim = next(w for w in workers if w.pid in (parent, horse)
                  or _parent_of(parent) == w.pid)
    time.sleep(work_seconds / 2)
    # the worker and its work horse (RQ puts the horse in a session of its
    # own), as the OOM killer or a lost machine would
    os.killpg(victim.pid, signal.SIGKILL)
    os.kill(horse, signal.SIGKILL)
    killed = time.monotonic()
    victim.wait(10)
    survivor = next(w for w in workers if w is not victim)

    def lines():
        return probe.read_text().split()[::2]

    _wait(lambda: lines().count("start") >= 2, 300)
    restarted = time.monotonic() - killed
    _wait(lambda: "done" in lines(), work_seconds + 120)
    finished = time.monotonic() - killed
    # one more maintenance cycle or two: nothing runs it a third time
    time.sleep(40)
    events = lines()
    return {
        "fault": "worker", "task_seconds": work_seconds,
        "killed_worker_pid": victim.pid, "other_worker_alive": survivor.poll() is None,
        "started": events.count("start"), "finished": events.count("done"),
        "exactly_once_more": events == ["start", "start", "done"],
        "recovery_seconds": round(restarted, 1), "finished_after_kill_seconds": round(finished, 1),
    }


def _parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def submit_questions(stop: threading.Event, client) -> None:
    """Citizens keep submitting questions through the fault, twice a second."""
    n = 0
    while not stop.is_set():
        n += 1
        client.submit_one(n)
        time.sleep(0.5)


def lost_questions(private: Private, codes: list[str]) -> int:
    """Accepted questions (a receipt with a tracking code) not in the database."""
    if not codes:
        return 0
    out = private.manage("shell", "-c", (
        "from cong.engagement.models import Question; import json; "
        f"codes = set(json.loads({json.dumps(json.dumps(codes))})); "
        "print(len(codes - set(Question.objects.filter(tracking_code__in=codes)"
        ".values_list('tracking_code', flat=True))))"))
    return int(out.strip().splitlines()[-1])


def run(kind: str, seconds: int) -> dict:
    private = Private()
    try:
        private.pg_start()
        private.pg_seed(os.environ.get("DATABASE_URL")
                        or _env_file(ROOT / "deploy" / "local.env")["DATABASE_URL"])
        private.redis_start()
        private.stack_start(with_worker=kind != "worker")
        if kind == "worker":
            return worker_fault(private)
        for _ in range(2):
            _get("/")
        seen = collections.defaultdict(collections.Counter)
        stop = threading.Event()
        thread = threading.Thread(target=probe, args=(stop, seen), daemon=True)
        thread.start()
        sys.path.insert(0, str(ROOT))
        from bench.loadtest import Latencies, QuestionClient

        questions = QuestionClient(f"http://127.0.0.1:{NGINX_PORT}", [HOST], 0, 11, Latencies())
        asker = threading.Thread(target=submit_questions, args=(stop, questions), daemon=True)
        asker.start()
        time.sleep(3)
        if kind == "postgres":
            private.pg_stop()
            time.sleep(seconds)
            private.pg_start()
        elif kind == "redis":
            private.redis_stop()
            time.sleep(seconds)
            private.redis_start()
        ended = time.monotonic()
        _wait(lambda: _get("/-/ready")[0] == 200, 300)
        recovery = time.monotonic() - ended
        time.sleep(3)
        stop.set()
        thread.join()
        asker.join(30)
        return {"fault": kind, "seconds": seconds, "recovery_seconds": round(recovery, 2),
                "served": {k: dict(v) for k, v in seen.items()},
                "questions": {"accepted": len(questions.accepted),
                              "refused": dict(questions.refused),
                              "answers": {k: dict(v) for k, v in questions.stats.statuses.items()},
                              "lost": lost_questions(private, questions.accepted)}}
    finally:
        private.close()


def main(argv=None) -> int:
    # stopped with SIGTERM: still stop what was started (the finally blocks)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["postgres", "redis", "worker"])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--base-port", type=int,
                        default=int(os.environ.get("CONG_FAULT_BASE_PORT", "24400")))
    args = parser.parse_args(argv)
    set_ports(args.base_port)
    result = run(args.kind, args.seconds)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
