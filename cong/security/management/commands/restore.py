from django.core.management.base import BaseCommand, CommandError

from cong.core.errors import ApplicationError
from cong.security.audit import record
from cong.security.backups import backup_restore
from cong.security.choices import AuditAction


class Command(BaseCommand):
    help = ("Restore an archive made by `backup` into this installation. Refused when the "
            "installation already holds data, unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="overwrite an installation that holds data")

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup_restore(archive, force=force)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        record(AuditAction.BACKUP, object_type="backup", object_repr=str(archive)[-255:],
               message="restore", changes={"created": manifest["created"], "force": force})
        self.stdout.write(f"restored {archive}: {len(manifest['files'])} files")
