"""Issue 10: backup and restore of the demo network plus items (time, size);
sign-in guesses the lockout lets one client make; the audit log at scale
(keyset pages against OFFSET, filters, export) with the archive in place:
``BENCH_AUDIT_ROWS`` entries (default 10,000,000 on PostgreSQL, 2,000,000 on
SQLite) over 24 months, of which the months past a 365-day retention are
moved into archive files by the archive job (timed), then searched."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .harness import VAR, Context

NAME = "security"
ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
AUDIT_RETENTION_DAYS = 365
AUDIT_MONTHS = 24
ARCHIVE_DIR = VAR / "security-audit-archive"


def audit_rows(ctx: Context) -> int:
    default = "10000000" if ctx.database_url.startswith("postgres") else "2000000"
    return int(os.environ.get("BENCH_AUDIT_ROWS", default))


def archive_env() -> dict:
    return {"CONG_AUDIT_ARCHIVE_DIR": str(ARCHIVE_DIR),
            "CONG_AUDIT_RETENTION_DAYS": str(AUDIT_RETENTION_DAYS)}


def prepare(ctx: Context) -> None:
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("load_demo", "--port", str(ctx.port))
    have = int(ctx.manage("shell", "-c", "from cong.content.models import ItemPage; print(ItemPage.objects.count())").strip().splitlines()[-1])
    if have < ITEMS:
        started = time.time()
        ctx.manage("shell", "-c", f"from bench.generate import generate_items; generate_items({ITEMS - have}, seed=10)")
        print(f"   generated {ITEMS - have} items in {time.time() - started:.0f} s", flush=True)
    started = time.time()
    ctx.manage("shell", "-c", _AUDIT_FILL.replace("ROWS", str(audit_rows(ctx))).replace(
        "SPAN", str(AUDIT_MONTHS * 2629800)).replace("MONTHS", str(AUDIT_MONTHS + 2)), **archive_env())
    print(f"   audit log filled in {time.time() - started:.0f} s", flush=True)


# Audit rows over the last 24 months, made in SQL (fast on both engines);
# archived entries count, so that a second run does not refill what the
# archive job moved out.
_AUDIT_FILL = """
from django.db import connection
from django.db.models import Sum
from cong.security.models import AuditArchive, AuditEvent
from cong.security import partitions
import datetime as dt
have = AuditEvent.objects.count() + (AuditArchive.objects.aggregate(n=Sum("rows"))["n"] or 0)
need = ROWS - have
if need > 0:
    if partitions.is_partitioned():
        month = (dt.date.today() - dt.timedelta(days=SPAN // 86400 + 5)).replace(day=1)
        for _ in range(MONTHS + 2):
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
                " SELECT now() - (n * (SPAN.0 / %s)) * interval '1 second',"
                " (ARRAY['login','publish','unpublish','delete','admin_action','export'])[1 + n %% 6],"
                " 1 + n %% 400, 'nguoi-dung-' || (n %% 400), '10.0.0.1', 'bench', 1 + n %% 60,"
                " 'content.articlepage', (n %% 100000)::text, 'Tin số ' || n, '', '{}'::jsonb"
                " FROM generate_series(1, %s) AS n", [need, need])
        else:
            c.execute(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)"
                " INSERT INTO security_auditevent (at, action, actor_id, actor_name, ip, user_agent, portal_id,"
                " object_type, object_id, object_repr, message, changes)"
                " SELECT strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || (n * SPAN / %s) || ' seconds'),"
                " CASE n %% 6 WHEN 0 THEN 'login' WHEN 1 THEN 'publish' WHEN 2 THEN 'unpublish'"
                " WHEN 3 THEN 'delete' WHEN 4 THEN 'admin_action' ELSE 'export' END,"
                " 1 + n %% 400, 'nguoi-dung-' || (n %% 400), '10.0.0.1', 'bench', 1 + n %% 60,"
                " 'content.articlepage', CAST(n %% 100000 AS TEXT), 'Tin số ' || n, '', '{}'"
                " FROM seq", [need, need])
print(AuditEvent.objects.count())
"""

_ARCHIVE_RUN = """
import time
from cong.security.audit_archive import audit_archive_run, audit_archive_verify
t = time.perf_counter()
made = audit_archive_run()
elapsed = time.perf_counter() - t
t = time.perf_counter()
for a in made:
    audit_archive_verify(a)
verify = time.perf_counter() - t
print(f"ARCHIVE {sum(a.rows for a in made)} {sum(a.size for a in made)} {len(made)} {elapsed:.3f} {verify:.3f}")
"""

_AUDIT_TIMINGS = """
import statistics, time
from django.db.models import Sum
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
from cong.security.audit_archive import archive_search
from cong.security.models import AuditArchive
newest = AuditArchive.objects.order_by("-start").first()
if newest is not None:
    day = newest.start.date()
    res["archive: search one archived day (date filter, newest month file)"] = ms(
        lambda: archive_search(user, selectors.AuditFilter(date_from=day, date_to=day)), runs=3)
    res["archive: one object's history across every archived month"] = ms(
        lambda: archive_search(user, selectors.AuditFilter(object_type="content.articlepage", object_id="4242")), runs=1)
print(f"TOTAL {total}")
print(f"ARCHIVED {AuditArchive.objects.aggregate(n=Sum('rows'))['n'] or 0} {AuditArchive.objects.count()}")
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
    # the archive job: months past the retention leave the live table
    # (timed in-process, without the command's start-up)
    out = ctx.manage("shell", "-c", _ARCHIVE_RUN, **archive_env()).strip().splitlines()
    rows, size, months, elapsed, verify_s = next(line for line in out if line.startswith("ARCHIVE ")).split()[1:]
    rows, size, months, elapsed, verify_s = int(rows), int(size), int(months), float(elapsed), float(verify_s)
    if months:
        ctx.record(f"audit archive job ({engine}): {months} months, {rows:,} entries: time", elapsed, "s")
        ctx.record(f"audit archive job ({engine}): entries per second", rows / elapsed, "/s")
        ctx.record(f"audit archive ({engine}): compressed size per million entries",
                   size / 1024 / 1024 / rows * 1_000_000, "MiB")
        ctx.record(f"audit archive ({engine}): verify the {months} files", verify_s, "s")

    out = ctx.manage("shell", "-c", _AUDIT_TIMINGS, **archive_env()).strip().splitlines()
    total = int(next(line for line in out if line.startswith("TOTAL ")).split()[1])
    archived, months = (int(v) for v in next(line for line in out if line.startswith("ARCHIVED ")).split()[1:])
    print(f"   audit log: {total:,} live entries, {archived:,} archived in {months} monthly files", flush=True)
    for line in out:
        if not line.startswith("FIG "):
            continue
        value, label = line[4:].split("\t", 1)
        ctx.record(f"audit log, {total:,} live + {archived:,} archived ({engine}): {label}", float(value), "ms")

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
