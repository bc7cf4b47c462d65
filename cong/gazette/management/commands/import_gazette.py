from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cong.core.errors import ApplicationError
from cong.core.records import Importer
from cong.gazette.spreadsheet import DEFAULT_COLUMNS, parse_mapping, records_from_spreadsheet


class Command(BaseCommand):
    help = (
        "Import a spreadsheet of legal documents (XLSX or CSV) into a portal's register. "
        "All-or-nothing unless --skip-invalid; errors are listed by row."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .xlsx or .csv file")
        parser.add_argument("--unit", help="unit code or record id of the portal, for rows without a unit column")
        parser.add_argument(
            "--map", action="append", default=[], metavar="HEADER=FIELD",
            help=f"map a column header to a field; fields: {', '.join(sorted(set(DEFAULT_COLUMNS.values())))}",
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--skip-invalid", action="store_true")

    def handle(self, *args, path, unit, map, dry_run, skip_invalid, **options):
        try:
            lines = records_from_spreadsheet(Path(path), unit=unit, mapping=parse_mapping(map))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {path}: {exc.strerror}") from exc
        result = Importer(dry_run=dry_run, skip_invalid=skip_invalid).run(lines)
        for err in result.errors:
            self.stderr.write(str(err).replace("line ", "row ", 1))
        for row in result.summary_lines():
            self.stdout.write(row)
        if dry_run:
            self.stdout.write("dry run: nothing written")
        if result.errors:
            if skip_invalid and result.written:
                self.stdout.write(f"{len(result.errors)} problem(s); valid rows written")
            else:
                raise CommandError(f"{len(result.errors)} problem(s); nothing written", returncode=1)
