"""Archiving the audit log: old months leave the live table for compressed,
checksummed files that stay searchable and exportable; append-only holds."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cong.security import partitions
from cong.security.audit_archive import (
    archive_search,
    audit_archive_task,
    audit_archive_verify,
    months_due,
)
from cong.security.choices import AuditAction
from cong.security.models import AuditArchive, AuditEvent
from cong.security.selectors import AuditFilter


@pytest.fixture
def archive_settings(settings, tmp_path):
    settings.CONG_AUDIT_ARCHIVE_DIR = str(tmp_path / "kho")
    settings.CONG_AUDIT_RETENTION_DAYS = 30
    return tmp_path / "kho"


def old_event(at, **fields):
    return AuditEvent.objects.create(at=at, action=fields.pop("action", AuditAction.PUBLISH), **fields)


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def old_months(network):
    if connection.vendor == "postgresql":
        # May 2024 has its own partition (detached and dropped whole);
        # March 2024 sits in the default partition (removed row by row).
        with connection.cursor() as cursor:
            cursor.execute(partitions.create_partition_sql(dt.date(2024, 5, 1)))
    pa, pb = network.portals["a"], network.portals["b"]
    march = [old_event(utc(2024, 3, 2 + i, 8), actor=network.superuser, actor_name=network.superuser.username,
                       portal_id=pa.pk, object_type="wagtailcore.page", object_id=str(100 + i),
                       object_repr=f"Tin cũ {i}", ip="203.0.113.9", changes={"số": i})
             for i in range(3)]
    may = [old_event(utc(2024, 5, 31, 23, 59, 59), actor_name="nguoi-da-nghi", portal_id=pb.pk,
                     object_repr="Tin tháng năm", action=AuditAction.UNPUBLISH),
           old_event(utc(2024, 5, 1), portal_id=pb.pk, object_repr="Đầu tháng năm", action=AuditAction.LOGIN)]
    recent = old_event(timezone.now() - dt.timedelta(days=3), portal_id=pa.pk, object_repr="Tin gần đây")
    return march, may, recent


def test_staff_cannot_delete_old_entries_before_they_are_archived(old_months, archive_settings):
    march, _, _ = old_months
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=march[0].pk).delete()
    assert AuditEvent.objects.filter(pk=march[0].pk).exists()


def test_old_months_move_into_verified_archives(old_months, archive_settings):
    march, may, recent = old_months
    assert months_due() == [dt.date(2024, 3, 1), dt.date(2024, 5, 1)]
    result = audit_archive_task.enqueue()
    assert result.return_value == 2

    # the rows left the live table; the recent one stayed
    ids = [e.pk for e in march + may]
    assert not AuditEvent.objects.filter(pk__in=ids).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    if connection.vendor == "postgresql":
        assert partitions.partition_name(dt.date(2024, 5, 1)) not in partitions.audit_partitions()

    march_archive, may_archive = AuditArchive.objects.order_by("start")
    assert march_archive.file_name == "audit-2024-03.jsonl.gz" and march_archive.rows == 3
    assert (march_archive.first_id, march_archive.last_id) == (march[0].pk, march[2].pk)
    assert may_archive.rows == 2 and may_archive.end == utc(2024, 6, 1)

    # the files verify: size, SHA-256 (also the .sha256 file beside), rows
    path = archive_settings / march_archive.file_name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == march_archive.sha256
    assert (archive_settings / "audit-2024-03.jsonl.gz.sha256").read_text().split()[0] == march_archive.sha256
    for archive in (march_archive, may_archive):
        audit_archive_verify(archive)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert [r["object_repr"] for r in rows] == ["Tin cũ 0", "Tin cũ 1", "Tin cũ 2"]
    assert rows[1]["changes"] == {"số": 1} and rows[1]["ip"] == "203.0.113.9"
    assert rows[0]["at"] == "2024-03-02T08:00:00+00:00"

    # the move is logged, by the system
    logged = AuditEvent.objects.filter(action=AuditAction.AUDIT_ARCHIVE).order_by("id")
    assert [e.changes["month"] for e in logged] == ["2024-03", "2024-05"]
    assert logged[0].changes["rows"] == 3 and logged[0].changes["sha256"] == march_archive.sha256

    # nothing more is due; a second run does nothing
    assert months_due() == [] and audit_archive_task.enqueue().return_value == 0

    # append-only holds: archive records cannot change, other rows cannot go
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditArchive.objects.filter(pk=march_archive.pk).update(rows=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditArchive.objects.filter(pk=march_archive.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=recent.pk).delete()
    # an entry written into an archived month afterwards is not covered by the archive
    late = old_event(utc(2024, 3, 20), object_repr="Ghi muộn")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=late.pk).delete()
    # and the job leaves it (and its archived month) alone
    assert months_due() == [] and audit_archive_task.enqueue().return_value == 0
    assert AuditEvent.objects.filter(pk=late.pk).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=recent.pk).update(message="sửa")


def test_a_tampered_archive_fails_verification(old_months, archive_settings):
    audit_archive_task.enqueue()
    archive = AuditArchive.objects.get(file_name="audit-2024-03.jsonl.gz")
    out = io.StringIO()
    call_command("audit_archive", "verify", stdout=out)
    assert "audit-2024-03.jsonl.gz 3" in out.getvalue() and out.getvalue().count(" OK") == 2
    path = archive_settings / archive.file_name
    rows = gzip.decompress(path.read_bytes()).decode().replace("Tin cũ 1", "Tin sửa")
    path.write_bytes(gzip.compress(rows.encode()))
    with pytest.raises(CommandError, match="1 archive file"):
        call_command("audit_archive", "verify", stdout=io.StringIO())


def test_archived_entries_are_searchable_and_exported(old_months, archive_settings, client, network):
    march, may, recent = old_months
    audit_archive_task.enqueue()

    found = archive_search(None, AuditFilter(q="tin cũ"))
    assert [e.object_repr for e in found] == ["Tin cũ 2", "Tin cũ 1", "Tin cũ 0"]
    assert found[0].pk == march[2].pk and found[0].at == march[2].at
    by_actor = archive_search(None, AuditFilter(actor=network.superuser.username))
    assert {e.pk for e in by_actor} == {e.pk for e in march}
    by_date = archive_search(None, AuditFilter(date_from=dt.date(2024, 5, 1), date_to=dt.date(2024, 5, 1)))
    assert [e.pk for e in by_date] == [may[1].pk]
    assert archive_search(None, AuditFilter(action=AuditAction.UNPUBLISH))[0].actor_name == "nguoi-da-nghi"
    # a portal's leader finds only their portal's archived entries
    leader_a = network.user("a", "truong_ban")
    assert {e.object_repr for e in archive_search(leader_a, AuditFilter(q="Tin"))} == {
        "Tin cũ 0", "Tin cũ 1", "Tin cũ 2"}

    # in the admin, on request
    client.force_login(network.superuser)
    page = client.get(reverse("security_audit"), {"q": "Tin cũ", "archive": "1"}).content.decode()
    assert "Tin cũ 1" in page and "audit-2024-03.jsonl.gz" in page
    assert "Tin cũ 1" not in client.get(reverse("security_audit"), {"q": "Tin cũ"}).content.decode()

    # the CSV export has the live and the archived entries
    response = client.get(reverse("security_audit"), {"q": "Tin", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    objects = [r[8] for r in list(csv.reader(io.StringIO(text)))[1:]]
    archived = ["Tin cũ 0", "Tin cũ 1", "Tin cũ 2", "Tin tháng năm"]
    assert sorted(o for o in objects if o in archived) == archived
    # the live entries first, then the archive
    assert objects.index(recent.object_repr) < min(objects.index(o) for o in archived)

    # and from the command line
    out = io.StringIO()
    call_command("audit_archive", "search", "--q", "tháng năm", stdout=out)
    assert "Tin tháng năm" in out.getvalue() and "Tin cũ" not in out.getvalue()
    target = archive_settings.parent / "xuat.csv"
    call_command("audit_archive", "export", "--from", "2024-03-01", "--to", "2024-03-31",
                 "--output", str(target))
    exported = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["object"] for r in exported] == ["Tin cũ 0", "Tin cũ 1", "Tin cũ 2"]
    assert exported[0]["archive"] == "audit-2024-03.jsonl.gz"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, message="export (command)").exists()


def test_a_month_not_wholly_past_the_retention_stays(network, archive_settings, settings):
    settings.CONG_AUDIT_RETENTION_DAYS = 10
    now = utc(2024, 7, 5, 12)
    old_event(utc(2024, 6, 28), object_repr="Cuối tháng sáu")
    assert months_due(now) == []  # June 2024 ends after the cutoff (25 June)
    assert months_due(utc(2024, 7, 12)) == [dt.date(2024, 6, 1)]
