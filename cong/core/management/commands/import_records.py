import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cong.core.records import Importer


class Command(BaseCommand):
    help = (
        "Import portal records (JSON Lines, see docs/import-format.md). "
        "All-or-nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .jsonl file, or - for standard input")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true",
            help="write the valid lines; still list and count the invalid ones",
        )

    def handle(self, *args, path, dry_run, skip_invalid, **options):
        stream = sys.stdin if path == "-" else None
        if stream is None:
            try:
                stream = open(path, encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"Không mở được tệp {path}: {exc.strerror}") from exc
        tty = sys.stderr.isatty()
        last = [0.0]

        def progress(kind, done, total):
            now = time.monotonic()
            if tty and (now - last[0] > 0.2 or done == total):
                last[0] = now
                sys.stderr.write(f"\r  {kind:<16} {done}/{total}")
                sys.stderr.flush()

        try:
            with stream:
                try:
                    result = Importer(
                        dry_run=dry_run, skip_invalid=skip_invalid, progress=progress
                    ).run(stream)
                except UnicodeDecodeError as exc:
                    raise CommandError(f"Tệp không phải UTF-8: {exc}") from exc
        finally:
            if tty:
                sys.stderr.write("\n")
        for err in result.errors:
            self.stderr.write(str(err))
        for row in result.summary_lines():
            self.stdout.write(row)
        if dry_run:
            self.stdout.write("dry run: nothing written")
        if result.errors:
            if skip_invalid and result.written:
                self.stdout.write(f"{len(result.errors)} problem(s); valid lines written")
            else:
                raise CommandError(
                    f"{len(result.errors)} problem(s); nothing written", returncode=1
                )
