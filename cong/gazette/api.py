"""The read-only open-data API of the register (django-ninja, OpenAPI at
``/api/cong-bao/openapi.json``). Lists take the register's filters and a
bounded page or a keyset cursor (``sau``)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import NinjaAPI, Query, Schema

from cong.units.middleware import current_portal

from . import exports, selectors
from .models import ValidityStatus
from .selectors import Filters

api = NinjaAPI(
    title="Cổng – Công báo điện tử",
    version="1.0",
    description="Dữ liệu mở: văn bản, hiệu lực và số công báo của các cổng thông tin.",
    urls_namespace="gazette_api",
    docs_url="/docs",
)


class DocumentFilters(Schema):
    q: str = ""
    loai: str = ""
    co_quan: str = ""
    linh_vuc: str = ""
    nguoi_ky: str = ""
    nam: int | None = None
    qppl: bool | None = None
    hieu_luc: ValidityStatus | None = None
    ngay: dt.date | None = None
    cong: str = ""
    trang: int = 1
    so_luong: int = selectors.PAGE_SIZE
    sau: str = ""


class DocumentOut(Schema):
    id: int
    portal_id: int
    number: str
    doc_type: str
    normative: bool
    issuer_name: str
    signer: str
    signer_title: str
    issued_on: dt.date
    effective_on: dt.date | None
    expires_on: dt.date | None
    field: str
    summary: str
    gazette_number: str
    gazette_date: dt.date | None
    posted_at: dt.datetime | None
    url: str


class DocumentList(Schema):
    count: int
    next_cursor: str
    items: list[DocumentOut]


class FileOut(Schema):
    kind: str
    name: str
    size: int
    sha256: str
    url: str
    needs_ocr: bool


class EventOut(Schema):
    kind: str
    label: str
    on: dt.date
    caused_by_id: int | None
    note: str


class RelationOut(Schema):
    kind: str
    direction: str
    label: str
    document_id: int
    number: str


class DocumentDetail(DocumentOut):
    status: str
    status_label: str
    files: list[FileOut]
    events: list[EventOut]
    relations: list[RelationOut]


class IssueOut(Schema):
    id: int
    portal_id: int
    year: int
    number: int
    published_on: dt.date
    documents_count: int
    url: str


def _portal_id(request, cong: str) -> int | None:
    """``cong`` is a portal's host name; empty means the network."""
    if not cong:
        return None
    from cong.units.models import Portal

    portal = Portal.objects.filter(site__hostname=cong.strip().lower()).only("id").first()
    if portal is None:
        raise Http404
    return portal.pk


def _filters(request, f: DocumentFilters) -> Filters:
    return Filters(
        q=f.q, doc_type=f.loai, issuer=f.co_quan, field=f.linh_vuc, signer=f.nguoi_ky, year=f.nam,
        normative=f.qppl, status=f.hieu_luc.value if f.hieu_luc else "", on=f.ngay,
        portal_id=_portal_id(request, f.cong),
    )


def _doc_out(doc) -> dict:
    from django.urls import reverse

    return {**{k: getattr(doc, k) for k in DocumentOut.model_fields if k != "url"},
            "url": reverse("gazette:document", args=[doc.pk])}


@api.get("/van-ban", response=DocumentList, summary="Danh sách văn bản")
def documents(request, filters: Query[DocumentFilters]):
    f = _filters(request, filters)
    if filters.sau:
        rows, cursor = selectors.documents_page(f, size=filters.so_luong, after=filters.sau)
    else:
        rows, cursor = selectors.documents_page_cached(f, page=filters.trang, size=filters.so_luong)
    return {"count": selectors.documents_count(f), "next_cursor": cursor, "items": [_doc_out(d) for d in rows]}


@api.get("/van-ban/{doc_id}", response=DocumentDetail, summary="Chi tiết văn bản")
def document(request, doc_id: int):
    from django.urls import reverse
    from django.utils import timezone

    doc = selectors.document_get(doc_id)
    if doc is None:
        raise Http404
    status = selectors.document_status_on(doc, timezone.localdate())
    return {
        **_doc_out(doc), "status": status, "status_label": str(ValidityStatus(status).label),
        "files": [{"kind": f.kind, "name": f.original_name, "size": f.size, "sha256": f.sha256,
                   "needs_ocr": f.needs_ocr, "url": reverse("gazette:document_file", args=[doc.pk, f.pk])}
                  for f in doc.files.all()],
        "events": [{"kind": e.kind, "label": str(e.get_kind_display()), "on": e.on,
                    "caused_by_id": e.caused_by_id, "note": e.note} for e in selectors.document_history(doc)],
        "relations": [{"kind": r["kind"], "direction": r["direction"], "label": str(r["label"]),
                       "document_id": r["document"].pk, "number": r["document"].number}
                      for r in selectors.document_relations(doc)],
    }


@api.get("/so", response=list[IssueOut], summary="Danh sách số công báo")
def issues(request, cong: str = "", nam: int | None = None):
    from django.urls import reverse

    portal_id = _portal_id(request, cong)
    if portal_id is None and cong == "":
        portal = current_portal(request)
        portal_id = portal.pk if portal is not None and portal.unit.unit_type != "province" else None
    return [
        {"id": i.pk, "portal_id": i.portal_id, "year": i.year, "number": i.number,
         "published_on": i.published_on, "documents_count": i.documents_count,
         "url": reverse("gazette:issue", args=[i.year, i.number])}
        for i in selectors.issues_list(portal_id=portal_id, year=nam)
    ]


@api.get("/van-ban.csv", summary="Xuất danh sách văn bản (CSV)")
def documents_csv(request, filters: Query[DocumentFilters]):
    return exports.export_csv(_filters(request, filters))


@api.get("/van-ban.xlsx", summary="Xuất danh sách văn bản (XLSX)")
def documents_xlsx(request, filters: Query[DocumentFilters]):
    return exports.export_xlsx(_filters(request, filters))
