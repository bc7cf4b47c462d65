"""Archiving the audit log: the live table keeps ``CONG_AUDIT_RETENTION_DAYS``.

Once a calendar month (UTC) is entirely older than the retention, the
scheduled job (``audit_archive_task``, daily) writes its entries, oldest
first, into ``audit-YYYY-MM.jsonl.gz`` in ``CONG_AUDIT_ARCHIVE_DIR`` (gzip,
one JSON object a line, with a ``.sha256`` file beside it), records an
``AuditArchive`` row (rows, id range, size, SHA-256) and removes the month
from the live table, in one transaction; the count removed must equal the
count written, or nothing is removed. On PostgreSQL the month's partition is
detached and dropped whole (no row-by-row delete).

Append-only still holds: the live table's triggers refuse UPDATE always and
DELETE of any row that no ``AuditArchive`` covers, and ``AuditArchive`` rows
cannot be changed or deleted (migration 0004). The move itself is logged.

Archived entries stay searchable and exportable (``archive_search``,
``archive_rows``): the admin's audit log searches them on request and its CSV
export includes them; ``manage.py audit_archive`` runs, verifies, searches
and exports from the command line.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from cong.core.errors import ApplicationError

from .models import AuditArchive, AuditEvent
from .selectors import AuditFilter, audit_portal_ids

FIELDS = ("id", "at", "action", "actor_id", "actor_name", "ip", "user_agent", "portal_id",
          "object_type", "object_id", "object_repr", "message", "changes")
CHUNK = 5000


def archive_dir() -> Path:
    path = Path(settings.CONG_AUDIT_ARCHIVE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def months_due(now: dt.datetime | None = None) -> list[dt.date]:
    """Months with live entries that lie wholly before the retention cutoff."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CONG_AUDIT_RETENTION_DAYS)
    oldest = AuditEvent.objects.filter(at__lt=cutoff).order_by("at").values_list("at", flat=True).first()
    if oldest is None:
        return []
    month = oldest.astimezone(dt.UTC).date().replace(day=1)
    due = []
    while True:
        start, end = _month_bounds(month)
        if end > cutoff:
            return due
        # A month archived before keeps any entry written into it later in
        # the live table (the archive's id range does not cover it).
        if (AuditEvent.objects.filter(at__gte=start, at__lt=end).exists()
                and not AuditArchive.objects.filter(start=start).exists()):
            due.append(month)
        month = end.date()


def _row(event: dict) -> dict:
    out = {f: event[f] for f in FIELDS}
    out["at"] = event["at"].astimezone(dt.UTC).isoformat()
    return out


def _write(start: dt.datetime, end: dt.datetime, path: Path) -> tuple[int, int | None, int | None]:
    """Write the live entries of [start, end) into ``path`` in keyset chunks."""
    count, first_id, last_id = 0, None, None
    qs = AuditEvent.objects.filter(at__gte=start, at__lt=end).order_by("at", "id").values(*FIELDS)
    position = None
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n")
        while True:
            page = qs
            if position is not None:
                at, pk = position
                page = qs.filter(at__gte=at).exclude(at=at, id__lte=pk)
            rows = list(page[:CHUNK])
            for event in rows:
                text.write(json.dumps(_row(event), ensure_ascii=False, separators=(",", ":")) + "\n")
                first_id = event["id"] if first_id is None else min(first_id, event["id"])
                last_id = event["id"] if last_id is None else max(last_id, event["id"])
            count += len(rows)
            if len(rows) < CHUNK:
                break
            position = (rows[-1]["at"], rows[-1]["id"])
        text.flush()
        text.detach()
    return count, first_id, last_id


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _remove_live(start: dt.datetime, end: dt.datetime) -> int:
    """Remove the archived month from the live table (inside the caller's
    transaction, after its AuditArchive row exists, which the triggers check)."""
    from .partitions import is_partitioned, partition_name

    removed = 0
    if is_partitioned():
        name = partition_name(start.date())
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                # the name is built from a date (partition_name), never from input
                cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608
                removed += cursor.fetchone()[0]
                cursor.execute(f'ALTER TABLE "security_auditevent" DETACH PARTITION "{name}"')
                cursor.execute(f'DROP TABLE "{name}"')
    # raw SQL: a queryset delete would fire post_delete, which the log records
    bounds = [connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditevent WHERE at >= %s AND at < %s", bounds)
        removed += cursor.rowcount
    return removed


def audit_archive_month(month: dt.date) -> AuditArchive:
    """Move one month of entries into its archive file (see the module text)."""
    from .audit import record
    from .choices import AuditAction

    start, end = _month_bounds(month)
    if AuditArchive.objects.filter(start=start).exists():
        raise ApplicationError(f"{start:%Y-%m} is already archived")
    name = f"audit-{start:%Y-%m}.jsonl.gz"
    folder = archive_dir()
    final = folder / name
    tmp = folder / f".{name}.tmp"
    count, first_id, last_id = _write(start, end, tmp)
    digest, size = _sha256(tmp), tmp.stat().st_size
    try:
        with transaction.atomic():
            archive = AuditArchive.objects.create(
                start=start, end=end, file_name=name, rows=count, first_id=first_id,
                last_id=last_id, size=size, sha256=digest)
            removed = _remove_live(start, end)
            if removed != count:
                raise ApplicationError(
                    f"{start:%Y-%m}: {removed} live entries, {count} written; nothing archived")
            os.replace(tmp, final)
            (folder / f"{name}.sha256").write_text(f"{digest}  {name}\n")
    finally:
        tmp.unlink(missing_ok=True)
    record(AuditAction.AUDIT_ARCHIVE, obj=archive, object_repr=name, message="archived",
           changes={"month": f"{start:%Y-%m}", "rows": count, "size": size, "sha256": digest,
                    "first_id": first_id, "last_id": last_id})
    return archive


def audit_archive_run(now: dt.datetime | None = None) -> list[AuditArchive]:
    return [audit_archive_month(m) for m in months_due(now)]


@task()
def audit_archive_task() -> int:
    """The scheduled job: archive every month past the retention."""
    return len(audit_archive_run())


def scheduled_audit_archive() -> None:
    audit_archive_task.enqueue()


# --- verifying and reading archives -----------------------------------------------


def audit_archive_verify(archive: AuditArchive) -> None:
    """Raise ApplicationError unless the file is there, its size and SHA-256
    match the record, and it holds the recorded rows and id range."""
    path = archive_dir() / archive.file_name
    if not path.exists():
        raise ApplicationError(f"{archive.file_name}: missing")
    if path.stat().st_size != archive.size or _sha256(path) != archive.sha256:
        raise ApplicationError(f"{archive.file_name}: checksum mismatch")
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists() and sidecar.read_text().split()[0] != archive.sha256:
        raise ApplicationError(f"{archive.file_name}: .sha256 file disagrees")
    count, ids = 0, []
    for row in _read(path):
        count += 1
        ids.append(row["id"])
    if count != archive.rows or (ids and (min(ids) != archive.first_id or max(ids) != archive.last_id)):
        raise ApplicationError(f"{archive.file_name}: rows differ from the record")


def _read(path: Path, needles: tuple[str, ...] = (), lowered: str = "") -> Iterator[dict]:
    """The entries of one file; lines lacking any of ``needles`` (exact JSON
    fragments) or, case-insensitively, ``lowered`` are skipped unparsed."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or any(n not in line for n in needles):
                continue
            if lowered and lowered not in line.lower():
                continue
            yield json.loads(line)


def _prefilter(flt: AuditFilter) -> tuple[tuple[str, ...], str]:
    """Fragments every matching line must contain (as written by ``_write``)."""
    needles = tuple(
        f'"{field}":{json.dumps(value, ensure_ascii=False)}'
        for field, value in (("action", flt.action), ("object_type", flt.object_type),
                             ("object_id", flt.object_id))
        if value
    )
    q = flt.q.lower()
    lowered = q if q and json.dumps(q, ensure_ascii=False)[1:-1] == q else ""
    return needles, lowered


@dataclass
class ArchivedEvent:
    """An archived entry, shaped like AuditEvent for templates and exports."""

    id: int
    at: dt.datetime
    action: str
    actor_id: int | None
    actor_name: str
    ip: str | None
    user_agent: str
    portal_id: int | None
    object_type: str
    object_id: str
    object_repr: str
    message: str
    changes: dict
    archive: str = ""

    @property
    def pk(self):
        return self.id

    def get_action_display(self):
        from .choices import AuditAction

        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _matcher(user, flt: AuditFilter):
    portal_ids = audit_portal_ids(user) if user is not None else None
    actor_ids = None
    if flt.actor:
        actor_ids = set(get_user_model().objects.filter(username__iexact=flt.actor)
                        .values_list("pk", flat=True))
    lo = _day_start(flt.date_from) if flt.date_from else None
    hi = _day_start(flt.date_to + dt.timedelta(days=1)) if flt.date_to else None
    q = flt.q.lower()

    def match(row: dict) -> bool:
        if portal_ids is not None and row["portal_id"] not in portal_ids:
            return False
        if flt.portal and row["portal_id"] != flt.portal:
            return False
        if flt.actor:
            if actor_ids:
                if row["actor_id"] not in actor_ids:
                    return False
            elif row["actor_name"] != flt.actor:
                return False
        if flt.action and row["action"] != flt.action:
            return False
        if flt.object_type and row["object_type"] != flt.object_type:
            return False
        if flt.object_id and row["object_id"] != flt.object_id:
            return False
        if lo or hi:
            at = dt.datetime.fromisoformat(row["at"])
            if (lo and at < lo) or (hi and at >= hi):
                return False
        return not q or any(q in row[f].lower() for f in ("object_repr", "message", "actor_name"))

    return match, lo, hi


def _archives_for(lo, hi):
    qs = AuditArchive.objects.order_by("-start")
    if lo:
        qs = qs.filter(end__gt=lo)
    if hi:
        qs = qs.filter(start__lt=hi)
    return qs


def _event(row: dict, archive: str) -> ArchivedEvent:
    return ArchivedEvent(**{**row, "at": dt.datetime.fromisoformat(row["at"])}, archive=archive)


def archive_search(user, flt: AuditFilter, limit: int = 200) -> list[ArchivedEvent]:
    """The newest ``limit`` archived entries matching ``flt`` that ``user``
    may read (None: everything), newest first. Only the months the date
    range reaches are read."""
    match, lo, hi = _matcher(user, flt)
    needles, lowered = _prefilter(flt)
    found: list[ArchivedEvent] = []
    for archive in _archives_for(lo, hi):
        newest = deque(maxlen=limit - len(found))
        for row in _read(archive_dir() / archive.file_name, needles, lowered):
            if match(row):
                newest.append(row)
        found.extend(_event(r, archive.file_name) for r in reversed(newest))
        if len(found) >= limit:
            break
    return found


def archive_rows(user, flt: AuditFilter) -> Iterator[ArchivedEvent]:
    """Every archived entry matching ``flt`` (for exports): month by month,
    newest month first, each month oldest entry first."""
    match, lo, hi = _matcher(user, flt)
    needles, lowered = _prefilter(flt)
    for archive in _archives_for(lo, hi).iterator():
        for row in _read(archive_dir() / archive.file_name, needles, lowered):
            if match(row):
                yield _event(row, archive.file_name)
