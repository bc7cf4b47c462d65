"""Monthly partitions of the audit log on PostgreSQL.

The table ``security_auditevent`` is partitioned by range of ``at``
(migration 0002): one partition per month plus a default one. This job keeps
partitions ready for the current and the next ``AHEAD`` months, so rows
never land in the default partition. Old months are archived by detaching
their partition (``audit_partition_detach``): a detached month keeps its rows
as a plain table, dumps and drops independently, and the live table stays
small. Nothing here runs on SQLite, where the (at, id) index and keyset
pagination are enough for the embedded default.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

TABLE = "security_auditevent"
AHEAD = 2


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_{month:%Y%m}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.relname = %s", [TABLE])
        return cursor.fetchone() is not None


def create_partition_sql(month: dt.date) -> str:
    end = _next_month(month)
    return (f'CREATE TABLE IF NOT EXISTS "{partition_name(month)}" PARTITION OF "{TABLE}" '
            f"FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') TO ('{end.isoformat()} 00:00:00+00')")


def audit_partitions_ensure(today: dt.date | None = None) -> list[str]:
    """Create the partitions of this month and the next AHEAD months."""
    if not is_partitioned():
        return []
    month = _month_start(today or timezone.now().date())
    made = []
    with transaction.atomic(), connection.cursor() as cursor:
        for _ in range(AHEAD + 1):
            cursor.execute("SELECT to_regclass(%s)", [partition_name(month)])
            if cursor.fetchone()[0] is None:
                cursor.execute(create_partition_sql(month))
                made.append(partition_name(month))
            month = _next_month(month)
    return made


def audit_partitions() -> list[str]:
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s ORDER BY c.relname", [TABLE])
        return [r[0] for r in cursor.fetchall()]


def audit_partition_detach(month: dt.date) -> str:
    """Archive one month: detach its partition (the rows stay, as a plain
    table named like the partition, for dumping or keeping elsewhere)."""
    name = partition_name(_month_start(month))
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{name}"')
    return name
