from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cong.core import abuse
from cong.units.choices import UnitType
from cong.units.middleware import current_portal

from .feeds import PortalFeed
from .forms import SearchForm
from .selectors import items_search

RESULTS_PER_PAGE = 20


@require_GET
def search(request):
    """Search one portal, or the whole network from the province's portal."""
    portal = current_portal(request)
    form = SearchForm(request.GET or None)
    results, page_obj, network, searched = [], None, False, False
    if form.is_bound and form.is_valid() and form.cleaned_data.get("q"):
        if not abuse.check_rate(request, "search", "60/m"):
            return abuse.too_many_requests(request)
        d = form.cleaned_data
        searched = True
        network = (
            d.get("pham_vi") == "mang-luoi" and portal is not None
            and portal.unit.unit_type == UnitType.PROVINCE
        )
        roots = None if network or portal is None else [Page.objects.get(pk=portal.site.root_page_id)]
        results = items_search(
            d["q"], roots=roots, item_type=d.get("loai") or None,
            category=d.get("chuyen_muc") or None, date_from=d.get("tu_ngay"), date_to=d.get("den_ngay"),
        )
        paginator = Paginator(results, RESULTS_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("trang", 1))
        except (PageNotAnInteger, EmptyPage):
            page_obj = paginator.page(1)
    return render(request, "content/search.html", {
        "form": form, "page_obj": page_obj, "total": len(results), "network": network,
        "searched": searched,
        "query_prefix": form.query_prefix() if form.is_bound else "",
        "can_search_network": portal is not None and portal.unit.unit_type == UnitType.PROVINCE,
    })


portal_feed = PortalFeed()
