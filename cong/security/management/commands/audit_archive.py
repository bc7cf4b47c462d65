import contextlib
import csv
import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cong.core.errors import ApplicationError
from cong.security.audit_archive import (
    archive_rows,
    archive_search,
    audit_archive_run,
    audit_archive_verify,
)
from cong.security.models import AuditArchive
from cong.security.selectors import AuditFilter

HEADER = ["id", "at", "action", "actor", "ip", "portal_id", "object_type", "object_id", "object",
          "message", "changes", "user_agent", "archive"]


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise CommandError(f"not a date: {value}") from exc


class Command(BaseCommand):
    help = ("Archive audit entries older than CONG_AUDIT_RETENTION_DAYS (run), check the archive "
            "files (verify), and search or export archived entries (search, export).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "verify", "list", "search", "export"])
        parser.add_argument("--q", default="")
        parser.add_argument("--actor", default="")
        parser.add_argument("--kind", default="", help="the audit action (login, publish…)")
        parser.add_argument("--object-type", default="")
        parser.add_argument("--object-id", default="")
        parser.add_argument("--from", dest="date_from", default="")
        parser.add_argument("--to", dest="date_to", default="")
        parser.add_argument("--limit", type=int, default=200)
        parser.add_argument("--output", help="CSV file for export (default: standard output)")

    def _filter(self, o) -> AuditFilter:
        return AuditFilter(q=o["q"], actor=o["actor"], action=o["kind"], object_type=o["object_type"],
                           object_id=o["object_id"], date_from=_date(o["date_from"]),
                           date_to=_date(o["date_to"]))

    def handle(self, *args, **o):
        action = o["action"]
        try:
            if action == "run":
                for archive in audit_archive_run():
                    self.stdout.write(f"{archive.file_name}: {archive.rows} entries, {archive.size} bytes, "
                                      f"sha256 {archive.sha256}")
            elif action in ("verify", "list"):
                bad = 0
                for archive in AuditArchive.objects.order_by("start"):
                    status = "-"
                    if action == "verify":
                        try:
                            audit_archive_verify(archive)
                            status = "OK"
                        except ApplicationError as exc:
                            status, bad = f"FAILED {exc.message}", bad + 1
                    self.stdout.write(f"{archive.file_name} {archive.rows} {archive.size} {status}")
                if bad:
                    raise CommandError(f"{bad} archive file(s) failed verification")
            elif action == "search":
                for e in archive_search(None, self._filter(o), limit=o["limit"]):
                    self.stdout.write(f"{e.id}\t{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}\t{e.action}\t"
                                      f"{e.actor_name}\t{e.object_repr}\t{e.message}")
            else:
                self._export(o)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _export(self, o):
        from cong.security.audit import record
        from cong.security.choices import AuditAction

        with contextlib.ExitStack() as stack:
            out = (stack.enter_context(open(o["output"], "w", newline="", encoding="utf-8"))
                   if o["output"] else sys.stdout)
            writer = csv.writer(out)
            writer.writerow(HEADER)
            n = 0
            for e in archive_rows(None, self._filter(o)):
                writer.writerow([e.id, timezone.localtime(e.at).isoformat(), e.action, e.actor_name,
                                 e.ip or "", e.portal_id or "", e.object_type, e.object_id, e.object_repr,
                                 e.message, json.dumps(e.changes, ensure_ascii=False) if e.changes else "",
                                 e.user_agent, e.archive])
                n += 1
        record(AuditAction.EXPORT, object_type="security.auditarchive", object_repr="audit archive",
               message="export (command)", changes={"rows": n, "output": o["output"] or "stdout"})
