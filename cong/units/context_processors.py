from django.utils.functional import SimpleLazyObject

from cong.core import cache_version

from .middleware import current_portal


def portal(request):
    """The current portal and its unit, for every template, and the cache
    versions that fragment caches vary on (``{% cache … cache_versions.portals %}``)."""
    p = current_portal(request)
    return {
        "portal": p,
        "portal_unit": p.unit if p else None,
        "archived_portal": getattr(request, "archived_portal", None),
        "cache_versions": SimpleLazyObject(
            lambda: {
                "portals": cache_version.current(cache_version.PORTALS),
                "content": cache_version.current(cache_version.CONTENT),
            }
        ),
    }
