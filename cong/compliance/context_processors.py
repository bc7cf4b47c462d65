"""The maintenance banner: a planned suspension announced on the portal from
its announcement until the expected restoration time."""

from django.utils import timezone


def maintenance(request):
    from cong.units.middleware import current_portal

    portal = current_portal(request)
    if portal is None:
        return {}
    from .models import MaintenanceNotice

    def notices():
        now = timezone.now()
        return list(MaintenanceNotice.objects.filter(portal=portal, announced_at__lte=now, ends_at__gte=now)
                    .order_by("starts_at")[:3])

    return {"maintenance_notices": notices}
