"""Issue 10: backup and restore of the demo network plus items (time, size);
sign-in guesses the lockout lets one client make; the audit log at scale
(keyset pages against OFFSET, filters, export)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .harness import VAR, Context

NAME = "security"
ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
AUDIT_ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "2000000"))


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))
    have = int(ctx.manage("shell", "-c", "from cong.content.models import ItemPage; print(ItemPage.objects.count())").strip().splitlines()[-1])
    if have < ITEMS:
        started = time.time()
        ctx.manage("shell", "-c", f"from bench.generate import generate_items; generate_items({ITEMS - have}, seed=10)")
        print(f"   generated {ITEMS - have} items in {time.time() - started:.0f} s", flush=True)
    ctx.manage("shell", "-c", _AUDIT_FILL.replace("ROWS", str(AUDIT_ROWS)))


# Audit rows over the last 12 months, made in SQL (fast on both engines).
_AUDIT_FILL = """
from django.db import connection
from cong.security.models import AuditEvent
from cong.security import partitions
import datetime as dt
have = AuditEvent.objects.count()
need = ROWS - have
if need > 0:
    if partitions.is_partitioned():
        month = (dt.date.today() - dt.timedelta(days=370)).replace(day=1)
        for _ in range(16):
            with connection.cursor() as c:
                c.execute("SELECT to_regclass(%s)", [partitions.partition_name(month)])
                if c.fetchone()[0] is None:
                    c.execute(partitions.create_partition_sql(month))
            month = partitions._next_month(month)
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "INSERT INTO security_auditevent (at, action, actor_id, actor_name, ip, user_agent, portal_id,"
                " object_type, object_id, object_repr, message, changes)"
                " SELECT now() - (n * (31536000.0 / %s)) * interval '1 second',"
                " (ARRAY['login','publish','unpublish','delete','admin_action','export'])[1 + n %% 6],"
                " 1 + n %% 400, 'nguoi-dung-' || (n %% 400), '10.0.0.1', 'bench', 1 + n %% 60,"
                " 'content.articlepage', (n %% 100000)::text, 'Tin số ' || n, '', '{}'::jsonb"
                " FROM generate_series(1, %s) AS n", [need, need])
        else:
            c.execute(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)"
                " INSERT INTO security_auditevent (at, action, actor_id, actor_name, ip, user_agent, portal_id,"
                " object_type, object_id, object_repr, message, changes)"
                " SELECT strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || (n * 31536000 / %s) || ' seconds'),"
                " CASE n %% 6 WHEN 0 THEN 'login' WHEN 1 THEN 'publish' WHEN 2 THEN 'unpublish'"
                " WHEN 3 THEN 'delete' WHEN 4 THEN 'admin_action' ELSE 'export' END,"
                " 1 + n %% 400, 'nguoi-dung-' || (n %% 400), '10.0.0.1', 'bench', 1 + n %% 60,"
                " 'content.articlepage', CAST(n %% 100000 AS TEXT), 'Tin số ' || n, '', '{}'"
                " FROM seq", [need, need])
print(AuditEvent.objects.count())
"""

_AUDIT_TIMINGS = """
import statistics, time
from cong.accounts.models import User
from cong.security import selectors
from cong.security.models import AuditEvent
user = User.objects.filter(is_superuser=True).first() or User(is_superuser=True, is_active=True)
def ms(fn, runs=5):
    out = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)
all_ = selectors.audit_events(user, selectors.AuditFilter())
total = AuditEvent.objects.count()
first, _ = selectors.audit_page(all_)
middle = all_[total // 2: total // 2 + 1][0]
cursor = selectors.encode_cursor(middle)
res = {
  "first page (50 newest)": ms(lambda: selectors.audit_page(all_)),
  "keyset page in the middle": ms(lambda: selectors.audit_page(all_, cursor)),
  "OFFSET page in the middle (for comparison)": ms(lambda: list(all_[total // 2: total // 2 + 50]), runs=3),
  "filter: one actor, first page": ms(lambda: selectors.audit_page(selectors.audit_events(user, selectors.AuditFilter(actor=User.objects.order_by("pk").first().username)))),
  "filter: one object's history": ms(lambda: list(selectors.audit_events(user, selectors.AuditFilter(object_type="content.articlepage", object_id="4242"))[:50])),
  "export 10,000 rows (keyset chunks)": ms(lambda: sum(1 for _ in zip(range(10000), selectors.audit_iter(all_))), runs=3),
}
print(f"TOTAL {total}")
for k, v in res.items():
    print(f"FIG {v:.2f}\\t{k}")
"""


def _restore_target(ctx: Context) -> tuple[str, callable]:
    if ctx.database_url.startswith("postgres"):
        import psycopg

        base, _, name = ctx.database_url.rpartition("/")
        target = f"{name}_restore"
        admin = psycopg.connect(f"{base}/postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}"')

        def cleanup():
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            admin.close()

        return f"{base}/{target}", cleanup
    path = VAR / "security-restore.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", lambda: [Path(f"{path}{s}").unlink(missing_ok=True) for s in ("", "-wal", "-shm")]


def run(ctx: Context) -> None:
    engine = "PostgreSQL" if ctx.database_url.startswith("postgres") else "SQLite"
    dest = VAR / "security-backups"
    import shutil

    shutil.rmtree(dest, ignore_errors=True)
    out = ctx.manage("shell", "-c", _AUDIT_TIMINGS).strip().splitlines()
    total = int(next(line for line in out if line.startswith("TOTAL ")).split()[1])
    for line in out:
        if not line.startswith("FIG "):
            continue
        value, label = line[4:].split("\t", 1)
        ctx.record(f"audit log, {total:,} rows ({engine}): {label}", float(value), "ms")

    started = time.perf_counter()
    line = ctx.manage("backup", "--dest", str(dest)).strip().splitlines()[-1]
    backup_s = time.perf_counter() - started
    archive, size = line.split()[0], int(line.split()[1])
    ctx.record(f"backup, demo + {ITEMS:,} items + audit ({engine}): time", backup_s, "s")
    ctx.record(f"backup, demo + {ITEMS:,} items + audit ({engine}): archive size", size / 1024 / 1024, "MiB")

    target, cleanup = _restore_target(ctx)
    media = VAR / "security-restore-media"
    shutil.rmtree(media, ignore_errors=True)
    try:
        started = time.perf_counter()
        ctx.manage("restore", archive, DATABASE_URL=target, MEDIA_ROOT=str(media))
        ctx.record(f"restore into an empty installation ({engine}): time", time.perf_counter() - started, "s")
    finally:
        cleanup()
        shutil.rmtree(media, ignore_errors=True)

    guesses = ctx.manage("shell", "-c", (
        "from cong.security.throttle import guesses_allowed;"
        "print(guesses_allowed(3600, accounts=1), guesses_allowed(3600, accounts=50, ip='198.51.100.251'))"
    )).strip().splitlines()[-1].split()
    ctx.record("sign-in: passwords one client gets checked per hour, one account", float(guesses[0]), "/h")
    ctx.record("sign-in: passwords one client gets checked per hour, 50 accounts", float(guesses[1]), "/h")
