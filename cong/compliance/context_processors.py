"""The maintenance banner: a planned suspension announced on the portal from
its announcement until the expected restoration time."""

from django.utils import timezone

from cong.core import cache_version
from cong.core.cache_version import LocalCache

_NOTICES = LocalCache(512)


def maintenance(request):
    from cong.units.middleware import current_portal

    portal = current_portal(request)
    if portal is None:
        return {}
    from .models import MaintenanceNotice

    def not_ended():
        # every notice not yet over, whenever it is announced: which of them
        # show is decided at each request, so the cache holds until a notice
        # changes (a save or a deletion bumps the version)
        return list(MaintenanceNotice.objects.filter(portal=portal, ends_at__gte=timezone.now())
                    .order_by("starts_at"))

    def notices():
        now = timezone.now()
        pending = _NOTICES.get_or_set(portal.pk, cache_version.current(cache_version.PORTALS), not_ended)
        return [n for n in pending if n.announced_at <= now <= n.ends_at][:3]

    return {"maintenance_notices": notices}
