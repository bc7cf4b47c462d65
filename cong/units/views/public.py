from django.http import Http404
from django.shortcuts import get_object_or_404

from ..middleware import _route, current_portal
from ..models import Portal


def archive_page(request, code, path=""):
    """Serve a page of a merged unit's portal from its successor's portal."""
    here = current_portal(request)
    if here is None:
        raise Http404
    old = get_object_or_404(
        Portal.objects.select_related("unit", "site"), unit__code=code,
        unit__successor__isnull=False,
    )
    if old.unit.final_successor().pk != here.unit_id:
        raise Http404
    page = _route(old, "/" + path)
    if page is None:
        raise Http404
    request.archived_portal = old
    return page.specific.serve(request)
