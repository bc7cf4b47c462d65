"""Writes of the gazette: documents, their files, validity events,
relations, gazette issues. Every write checks its rules first, runs in one
transaction and bumps the ``gazette`` cache version."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cong.core import cache_version
from cong.core.calendar import add_working_days
from cong.core.errors import ApplicationError
from cong.core.uploads import MB, check_upload
from cong.core.vn import fold

from .models import (
    ENDING_EVENTS,
    PARTIAL_EVENTS,
    DocumentFile,
    EventKind,
    FacetCount,
    GazetteIssue,
    LegalDocument,
    PostingRule,
    Relation,
    RelationKind,
    ValidityEvent,
)

CACHE_SCOPE = "gazette"
FILE_MAX_BYTES = 50 * MB
DEFAULT_POSTING_DAYS = 2  # Decree 43/2011 Art. 17(1)(c): own documents, 2 working days
SEARCH_TEXT_MAX = 60_000
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D_]")
_SPACES = re.compile(r"\s+")

# Relation kinds that a validity event creates (causing document → document).
EVENT_RELATION = {
    EventKind.AMENDED: RelationKind.AMENDS,
    EventKind.REPLACED: RelationKind.REPLACES,
    EventKind.REPEALED: RelationKind.REPEALS,
    EventKind.PARTIAL_REPEAL: RelationKind.REPEALS,
}

FIELDS = (
    "number", "doc_type", "normative", "issuer_name", "issuer_unit", "signer", "signer_title",
    "issued_on", "effective_on", "expires_on", "field", "summary", "gazette_number",
    "gazette_date", "gazette_issue", "gazette_position", "posted_at", "page",
)


def _changed(portal_id: int | None) -> None:
    """Bump the register's cache version and, once the transaction commits,
    warm the landing counts of the changed portals in the background."""
    cache_version.bump(CACHE_SCOPE)
    if portal_id is None:
        return
    connection = transaction.get_connection()
    connection.__dict__.setdefault("_gazette_warm", set()).add(portal_id)
    # One task per transaction: the first callback takes every pending id.
    transaction.on_commit(_warm_pending)


def _warm_pending() -> None:
    from .tasks import register_facets_warm

    ids = sorted(transaction.get_connection().__dict__.pop("_gazette_warm", set()))
    if ids:
        register_facets_warm.enqueue(portal_ids=ids)


def facet_counts_rebuild() -> int:
    """Recount the precomputed facets (FacetCount) from the documents, in one
    transaction: after a bulk load that bypassed ``LegalDocument.save()``.
    Returns the number of counted values."""
    from django.db.models import Count, Max

    rows = []
    groups = (("doc_type", "doc_type", "doc_type"), ("issuer", "issuer_key", "issuer_name"),
              ("field", "field_key", "field"), ("year", "issued_year", "issued_year"),
              ("signer", "signer_key", "signer"), ("normative", "normative", None))
    for facet, key, label in groups:
        qs = LegalDocument.objects.order_by().values("portal_id", key).annotate(
            n=Count("id"), **({"label": Max(label)} if label else {}),
        )
        for r in qs:
            value = r[key]
            if value in ("", None):
                continue
            if facet == "normative":
                value = "1" if value else "0"
            rows.append(FacetCount(portal_id=r["portal_id"], facet=facet, key=str(value),
                                   label=str(r.get("label") or "") if facet != "normative" else "", count=r["n"]))
    with transaction.atomic():
        FacetCount.objects.all().delete()
        FacetCount.objects.bulk_create(rows, batch_size=2000)
        cache_version.bump(CACHE_SCOPE)
    return len(rows)


def number_key(number: str) -> str:
    """A document number normalised for comparison: dash variants, Đ/D,
    case and spaces do not matter ("12/2024/QĐ – UBND" = "12/2024/qd-ubnd")."""
    text = _DASHES.sub("-", number or "")
    return _SPACES.sub("", fold(text)).upper()


def name_key(name: str) -> str:
    """An issuer, signer or field name normalised for grouping."""
    return _SPACES.sub(" ", fold(name or "")).strip()


def _local_date(value: dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def posting_days(portal, doc_type: str, normative: bool) -> int:
    """Working days allowed for posting a document, from the most specific rule."""
    best, best_score = None, -1
    rules = PostingRule.objects.filter(Q(portal=None) | Q(portal=portal)) if portal else PostingRule.objects.filter(portal=None)
    for rule in rules:
        if rule.doc_type and name_key(rule.doc_type) != name_key(doc_type):
            continue
        if rule.normative is not None and rule.normative != normative:
            continue
        score = (2 if rule.portal_id else 0) + (1 if rule.doc_type else 0) + (1 if rule.normative is not None else 0)
        if score > best_score:
            best, best_score = rule, score
    return best.working_days if best else DEFAULT_POSTING_DAYS


def _search_text(doc: LegalDocument) -> str:
    parts = [doc.number, doc.doc_type, doc.issuer_name, doc.signer, doc.field, doc.summary, doc.text]
    return fold(" ".join(p for p in parts if p))[:SEARCH_TEXT_MAX]


def _derive(doc: LegalDocument, *, rules_days: int | None = None) -> None:
    doc.number = _SPACES.sub(" ", doc.number or "").strip()
    doc.number_key = number_key(doc.number)
    doc.issuer_key = name_key(doc.issuer_name)
    doc.signer_key = name_key(doc.signer)
    doc.field_key = name_key(doc.field)
    doc.issued_year = doc.issued_on.year
    doc.posted_on = _local_date(doc.posted_at)
    days = rules_days if rules_days is not None else posting_days(doc.portal, doc.doc_type, doc.normative)
    doc.posting_deadline = add_working_days(doc.issued_on, days)
    doc.posted_late = bool(doc.posted_on and doc.posted_on > doc.posting_deadline)
    doc.search_text = _search_text(doc)


def document_check(data: dict[str, Any], *, instance: LegalDocument | None = None) -> None:
    """The rules of one document's fields; raises ApplicationError."""
    if not (data.get("number") or "").strip():
        raise ApplicationError("Số, ký hiệu là bắt buộc.", field="number")
    if not (data.get("issuer_name") or "").strip():
        raise ApplicationError("Cơ quan ban hành là bắt buộc.", field="issuer_name")
    if not (data.get("summary") or "").strip():
        raise ApplicationError("Trích yếu là bắt buộc.", field="summary")
    if not (data.get("doc_type") or "").strip():
        raise ApplicationError("Loại văn bản là bắt buộc.", field="doc_type")
    issued = data.get("issued_on")
    if not issued:
        raise ApplicationError("Ngày ban hành là bắt buộc.", field="issued_on")
    effective, expires = data.get("effective_on"), data.get("expires_on")
    if effective and effective < issued:
        raise ApplicationError("Ngày có hiệu lực không thể trước ngày ban hành.", field="effective_on")
    if expires and expires < (effective or issued):
        raise ApplicationError("Ngày hết hiệu lực không thể trước ngày có hiệu lực.", field="expires_on")
    posted = _local_date(data.get("posted_at"))
    if posted and posted < issued:
        raise ApplicationError("Văn bản không thể được đăng trước ngày ban hành.", field="posted_at")
    duplicate = LegalDocument.objects.filter(
        issuer_key=name_key(data["issuer_name"]), number_key=number_key(data["number"]),
    )
    if instance is not None and instance.pk:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise ApplicationError(
            f"Cơ quan “{data['issuer_name']}” đã có văn bản số {data['number']}.", field="number",
        )


def _own_dates_events(doc: LegalDocument) -> None:
    """Keep the events that come from the document's own dates in step."""
    ValidityEvent.objects.filter(document=doc, caused_by=None, kind__in=[EventKind.EFFECTIVE, EventKind.EXPIRED]).delete()
    events = []
    if doc.effective_on:
        events.append(ValidityEvent(document=doc, kind=EventKind.EFFECTIVE, on=doc.effective_on))
    if doc.expires_on:
        events.append(ValidityEvent(document=doc, kind=EventKind.EXPIRED, on=doc.expires_on))
    ValidityEvent.objects.bulk_create(events)


@transaction.atomic
def document_save(*, portal, data: dict[str, Any], instance: LegalDocument | None = None,
                  files=(), rules_days: int | None = None, check: bool = True) -> LegalDocument:
    """Create or update a document with its files, in one transaction."""
    merged = {k: getattr(instance, k) for k in FIELDS} if instance is not None else {}
    merged.update(data)
    if check:
        document_check(merged, instance=instance)
    doc = instance or LegalDocument(portal=portal)
    doc.portal = portal
    for key in FIELDS:
        if key in merged:
            value = merged[key]
            if value is None and key in ("signer", "signer_title", "field", "gazette_number"):
                value = ""
            setattr(doc, key, value)
    _derive(doc, rules_days=rules_days)
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError as exc:
        raise ApplicationError(
            f"Cơ quan “{doc.issuer_name}” đã có văn bản số {doc.number}.", field="number",
        ) from exc
    _own_dates_events(doc)
    for f in files:
        file_attach(doc, f, bump=False)
    document_validity_refresh(doc)
    _changed(doc.portal_id)
    return doc


# --- Files -------------------------------------------------------------------------


def extract_pdf_text(data: bytes, name: str = "tệp") -> str:
    """The text layer of a PDF ('' for a scan); refuses a PDF that cannot be parsed."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ApplicationError(f"Tệp {name} được mã hóa, không đọc được.", field="files")
        return "\n".join((page.extract_text() or "") for page in reader.pages).strip()
    except ApplicationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ApplicationError(f"Không đọc được tệp PDF {name}: tệp bị hỏng.", field="files") from exc


def extract_docx_text(data: bytes, name: str = "tệp") -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ApplicationError(f"Không đọc được tệp DOCX {name}: tệp bị hỏng.", field="files") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(p for p in parts if p).strip()


def file_read(f) -> tuple[str, bytes, str, bool]:
    """Check an uploaded file by its bytes and extract its text:
    (kind, data, text, needs_ocr)."""
    checked = check_upload(f, allowed={"pdf", "docx", "doc"}, max_bytes=FILE_MAX_BYTES)
    if hasattr(f, "seek"):
        f.seek(0)
    data = f.read()
    name = getattr(f, "name", "tệp")
    if checked.kind == "pdf":
        text = extract_pdf_text(data, name)
        return "pdf", data, text, not text
    if checked.kind == "docx":
        return "docx", data, extract_docx_text(data, name), False
    return "doc", data, "", False


def file_attach(doc: LegalDocument, f, *, bump: bool = True) -> DocumentFile:
    """Attach a checked file to a document, kept byte for byte."""
    from pathlib import PurePosixPath

    kind, data, text, needs_ocr = file_read(f)
    name = PurePosixPath(getattr(f, "name", "") or f"van-ban.{kind}").name
    with transaction.atomic():
        item = DocumentFile(
            document=doc, kind=kind, original_name=name[:255], size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), text=text, needs_ocr=needs_ocr,
        )
        item.file.save(name, ContentFile(data), save=False)
        item.save()
        _document_text_refresh(doc)
        if bump:
            _changed(doc.portal_id)
    return item


def _document_text_refresh(doc: LegalDocument) -> None:
    files = list(doc.files.all())
    doc.text = "\n\n".join(f.text for f in files if f.text)
    doc.needs_ocr = any(f.needs_ocr for f in files) and not doc.text
    doc.search_text = _search_text(doc)
    LegalDocument.objects.filter(pk=doc.pk).update(text=doc.text, needs_ocr=doc.needs_ocr, search_text=doc.search_text)


@transaction.atomic
def file_delete(item: DocumentFile) -> None:
    doc = item.document
    item.file.delete(save=False)
    item.delete()
    _document_text_refresh(doc)
    _changed(doc.portal_id)


# --- Validity and relations --------------------------------------------------------------


def document_validity_refresh(doc: LegalDocument) -> None:
    """Derive the indexed validity columns from the document's events."""
    events = list(doc.events.all())
    starts = [e.on for e in events if e.kind == EventKind.EFFECTIVE]
    ends = [e.on for e in events if e.kind in ENDING_EVENTS]
    partial = [e.on for e in events if e.kind in PARTIAL_EVENTS]
    doc.in_force_from = min(starts) if starts else None
    doc.in_force_until = min(ends) if ends else None
    doc.partial_from = min(partial) if partial else None
    LegalDocument.objects.filter(pk=doc.pk).update(
        in_force_from=doc.in_force_from, in_force_until=doc.in_force_until, partial_from=doc.partial_from,
    )


def _replacement_reaches(start: LegalDocument, goal: LegalDocument) -> bool:
    """Whether ``start`` replaces ``goal`` directly or through a chain."""
    seen, frontier = set(), {start.pk}
    while frontier:
        if goal.pk in frontier:
            return True
        seen |= frontier
        frontier = set(
            Relation.objects.filter(source_id__in=frontier, kind=RelationKind.REPLACES)
            .values_list("target_id", flat=True)
        ) - seen
    return False


@transaction.atomic
def relation_add(*, source: LegalDocument, target: LegalDocument, kind: str) -> Relation:
    """Record that ``source`` <kind> ``target`` (e.g. source replaces target)."""
    if source.pk == target.pk:
        raise ApplicationError("Văn bản không thể có quan hệ với chính nó.", field="target")
    if kind not in RelationKind.values:
        raise ApplicationError("Loại quan hệ không hợp lệ.", field="kind")
    if kind == RelationKind.REPLACES and _replacement_reaches(target, source):
        raise ApplicationError(
            f"Vòng thay thế: văn bản {target.number} đã (trực tiếp hoặc gián tiếp) thay thế {source.number}.",
            field="target",
        )
    relation, _ = Relation.objects.get_or_create(source=source, target=target, kind=kind)
    _changed(source.portal_id)
    return relation


@transaction.atomic
def event_add(*, document: LegalDocument, kind: str, on: dt.date,
              caused_by: LegalDocument | None = None, note: str = "") -> ValidityEvent:
    """Record a dated change of validity; the causing document gets the
    matching relation, and the indexed status columns follow."""
    if kind not in EventKind.values:
        raise ApplicationError("Loại sự kiện hiệu lực không hợp lệ.", field="kind")
    if caused_by is not None and caused_by.pk == document.pk:
        raise ApplicationError("Văn bản không thể tự thay đổi hiệu lực của chính nó.", field="caused_by")
    if on < document.issued_on:
        raise ApplicationError("Sự kiện hiệu lực không thể trước ngày ban hành.", field="on")
    if kind in EVENT_RELATION and caused_by is None:
        raise ApplicationError("Cần chọn văn bản gây ra thay đổi này.", field="caused_by")
    if caused_by is not None and kind in EVENT_RELATION:
        relation_add(source=caused_by, target=document, kind=EVENT_RELATION[kind])
    event = ValidityEvent.objects.create(document=document, kind=kind, on=on, caused_by=caused_by, note=note[:500])
    document_validity_refresh(document)
    _changed(document.portal_id)
    return event


# --- Gazette issues ----------------------------------------------------------------


@transaction.atomic
def issue_create(*, portal, year: int, number: int, published_on: dt.date,
                 documents=()) -> GazetteIssue:
    if GazetteIssue.objects.filter(portal=portal, year=year, number=number).exists():
        raise ApplicationError(f"Đã có công báo số {number}/{year}.", field="number")
    if published_on.year != year:
        raise ApplicationError("Ngày phát hành phải thuộc năm của số công báo.", field="published_on")
    issue = GazetteIssue.objects.create(portal=portal, year=year, number=number, published_on=published_on)
    issue_documents_set(issue, documents)
    return issue


@transaction.atomic
def issue_documents_set(issue: GazetteIssue, documents) -> None:
    """The ordered list of documents in an issue."""
    documents = list(documents)
    for doc in documents:
        if doc.portal_id != issue.portal_id:
            raise ApplicationError("Văn bản thuộc cổng khác.", field="documents")
    LegalDocument.objects.filter(gazette_issue=issue).update(gazette_issue=None, gazette_position=None)
    for position, doc in enumerate(documents, start=1):
        LegalDocument.objects.filter(pk=doc.pk).update(
            gazette_issue=issue, gazette_position=position,
            gazette_number=doc.gazette_number or f"{issue.number}/{issue.year}",
            gazette_date=doc.gazette_date or issue.published_on,
        )
    _changed(issue.portal_id)


def issue_pdf_build(issue: GazetteIssue) -> bytes:
    """The whole issue as one PDF: a contents page, then each document's
    signed PDF as it was received."""
    from pypdf import PdfReader, PdfWriter

    from .pdf import contents_page

    writer = PdfWriter()
    docs = list(issue.documents.order_by("gazette_position").prefetch_related("files"))
    lines = [f"{d.gazette_position}. {d.number} - {d.summary[:90]}" for d in docs]
    writer.append(PdfReader(io.BytesIO(contents_page(str(issue), lines))))
    for doc in docs:
        for f in doc.files.all():
            if f.kind == "pdf":
                with f.file.open("rb") as fh:
                    writer.append(PdfReader(io.BytesIO(fh.read()), strict=False))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
