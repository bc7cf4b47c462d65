from django.core.management.base import BaseCommand, CommandError

from cong.core.errors import ApplicationError
from cong.security.audit import record
from cong.security.backups import backup_create, backup_prune, backup_verify
from cong.security.choices import AuditAction


class Command(BaseCommand):
    help = "Write a verified archive of the database and the media files (with a checksum manifest)."

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="folder for the archive (default: CONG_BACKUP_DIR)")
        parser.add_argument("--no-compress", action="store_true")
        parser.add_argument("--prune", action="store_true", help="apply the retention afterwards")
        parser.add_argument("--verify", metavar="ARCHIVE", help="only verify an existing archive")

    def handle(self, *args, **options):
        try:
            if options["verify"]:
                manifest = backup_verify(options["verify"])
                self.stdout.write(f"OK {options['verify']}: {len(manifest['files'])} files")
                return
            result = backup_create(options["dest"], compress=not options["no_compress"])
            backup_verify(result.path)
            removed = backup_prune(options["dest"]) if options["prune"] else []
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        record(AuditAction.BACKUP, object_type="backup", object_repr=result.path.name,
               message="backup", changes={"size": result.size, "files": result.files,
                                          "sha256": result.sha256})
        self.stdout.write(f"{result.path} {result.size} bytes, {result.files} files, sha256 {result.sha256}")
        for p in removed:
            self.stdout.write(f"pruned {p.name}")
