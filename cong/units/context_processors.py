from .middleware import current_portal


def portal(request):
    """The current portal and its unit, for every template."""
    p = current_portal(request)
    return {
        "portal": p,
        "portal_unit": p.unit if p else None,
        "archived_portal": getattr(request, "archived_portal", None),
    }
