from django.core.management.base import BaseCommand
from django.db import transaction

from cong.content.services import portal_sections_ensure
from cong.units.models import Portal


class Command(BaseCommand):
    help = "Create the standard sections every portal lacks (after an upgrade)."

    def handle(self, *args, **options):
        for portal in Portal.objects.select_related("unit", "site"):
            with transaction.atomic():
                created = portal_sections_ensure(portal=portal)
            for page in created:
                self.stdout.write(f"{portal.site.hostname}: {page.url_path}")
