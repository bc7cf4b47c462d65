"""Public pages of the register and the gazette (per portal, and
network-wide from the province's portal)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cong.core import abuse, cache_version
from cong.units.choices import UnitType
from cong.units.middleware import current_portal

from . import exports
from .feeds import DocumentsFeed, IssuesFeed
from .forms import RegisterForm
from .models import DocumentFile, GazetteIssue, ValidityStatus
from .selectors import (
    MAX_PAGE,
    PAGE_SIZE,
    document_get,
    document_history,
    document_relations,
    document_status_on,
    documents_count,
    documents_facets,
    documents_newest,
    documents_page_cached,
    issue_documents,
    issues_list,
)
from .services import CACHE_SCOPE, issue_pdf_build

FACET_PARAMS = {"doc_type": "loai", "issuer": "co_quan", "field": "linh_vuc", "year": "nam",
                "signer": "nguoi_ky", "normative": "qppl", "status": "hieu_luc"}


def _scope(request, form: RegisterForm):
    """(portal, portal_id to filter on, whether the network is searched)."""
    portal = current_portal(request)
    can_network = portal is None or portal.unit.unit_type == UnitType.PROVINCE
    network = portal is None or (can_network and form.is_valid() and form.cleaned_data.get("pham_vi") == "mang-luoi")
    return portal, (None if network else portal.pk), network, can_network


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("trang", 1)), MAX_PAGE))
    except ValueError:
        return 1


@require_GET
def register(request):
    form = RegisterForm(request.GET)
    _portal, portal_id, network, can_network = _scope(request, form)
    filters = form.filters(portal_id)
    if filters.q and not abuse.check_rate(request, "gazette_search", "120/m"):
        return abuse.too_many_requests(request)
    page = _page_number(request)
    documents, cursor = documents_page_cached(filters, page=page)
    total = documents_count(filters)
    facets = dict(documents_facets(filters))
    sampled = facets.pop("sampled", 0)
    prefix = form.query_prefix()
    facet_links = {
        name: [dict(v, href="?" + form.query_prefix(without=FACET_PARAMS[name])
                    + urlencode({FACET_PARAMS[name]: v["value"]}))
               for v in values]
        for name, values in facets.items()
    }
    pages = min(MAX_PAGE, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(request, "gazette/register.html", {
        "form": form, "documents": documents, "total": total, "facets": facet_links,
        "page_number": page, "pages": pages, "has_next": bool(cursor) and page < MAX_PAGE,
        "query_prefix": prefix, "network": network, "sampled": sampled, "can_network": can_network,
        "newest": documents_newest(portal_id=portal_id, limit=5) if not request.GET else [],
        "status_date": filters.status_date(),
        "gazette_version": cache_version.current(CACHE_SCOPE),
        "fragment_key": f"{portal_id or 'mang-luoi'}?{request.GET.urlencode()}"[:500],
    })


@require_GET
def document_detail(request, pk: int):
    doc = document_get(pk)
    if doc is None:
        raise Http404
    today = timezone.localdate()
    issuer_successor = None
    if doc.issuer_unit_id and doc.issuer_unit.successor_id:
        issuer_successor = doc.issuer_unit.final_successor()
    status = document_status_on(doc, today)
    return render(request, "gazette/document.html", {
        "doc": doc, "files": list(doc.files.all()), "status": status,
        "status_label": ValidityStatus(status).label,
        "status_date": today, "history": document_history(doc), "relations": document_relations(doc),
        "issuer_successor": issuer_successor,
        "canonical": f"{doc.portal.site.root_url}{request.path}",
    })


@require_GET
def document_file(request, pk: int, file_id: int):
    item = get_object_or_404(DocumentFile.objects.select_related("document"), pk=file_id, document_id=pk)
    content_type = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc": "application/msword",
    }[item.kind]
    response = FileResponse(item.file.open("rb"), content_type=content_type,
                            as_attachment=item.kind != "pdf", filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _portal_or_404(request):
    portal = current_portal(request)
    if portal is None:
        raise Http404
    return portal


@require_GET
def issues(request):
    portal = _portal_or_404(request)
    return render(request, "gazette/issues.html", {"issues": issues_list(portal_id=portal.pk)})


@require_GET
def issue_detail(request, year: int, number: int):
    portal = _portal_or_404(request)
    issue = get_object_or_404(GazetteIssue, portal=portal, year=year, number=number)
    return render(request, "gazette/issue.html", {"issue": issue, "documents": issue_documents(issue)})


@require_GET
def issue_pdf(request, year: int, number: int):
    portal = _portal_or_404(request)
    issue = get_object_or_404(GazetteIssue, portal=portal, year=year, number=number)
    if issue.pdf:
        return FileResponse(issue.pdf.open("rb"), content_type="application/pdf")
    response = HttpResponse(issue_pdf_build(issue), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cong-bao-{issue.year}-{issue.number}.pdf"'
    return response


def _export_filters(request):
    form = RegisterForm(request.GET)
    _portal, portal_id, _network, _can = _scope(request, form)
    return form.filters(portal_id)


@require_GET
def export_csv(request):
    if not abuse.check_rate(request, "gazette_export", "20/m"):
        return abuse.too_many_requests(request)
    return exports.export_csv(_export_filters(request))


@require_GET
def export_xlsx(request):
    if not abuse.check_rate(request, "gazette_export", "20/m"):
        return abuse.too_many_requests(request)
    return exports.export_xlsx(_export_filters(request))


documents_feed = DocumentsFeed()
issues_feed = IssuesFeed()
