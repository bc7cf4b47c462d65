from django.core.management.base import BaseCommand, CommandError

from cong.core.errors import ApplicationError
from cong.units import services
from cong.units.models import Unit


class Command(BaseCommand):
    help = "Create a unit's portal: site, home page and standard sections, media, board groups."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the unit's code")
        parser.add_argument("--hostname", required=True)

    def handle(self, *args, unit, hostname, **options):
        try:
            target = Unit.objects.get(code=unit)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"Không có đơn vị mã {unit}.") from exc
        try:
            portal = services.portal_create(unit=target, hostname=hostname)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã tạo cổng {portal.site.hostname} cho {target.name}.")
