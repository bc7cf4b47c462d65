"""The register of legal documents and the electronic gazette (Công báo).

Documents are plain rows, denormalised for the register's search: every
filter of the public register reads one indexed column of
``LegalDocument`` (``portal``, ``doc_type``, ``issuer_key``, ``field_key``,
``issued_year``, ``normative``, ``signer_key``, ``in_force_from``/
``in_force_until``), and the full text lives in ``search_text`` (folded to
ASCII), indexed by SQLite FTS5 or, on PostgreSQL, by a GIN index over the
narrow table ``gazette_legaldocument_vector`` (the document's id and
``strip(to_tsvector('cong_vi', search_text))``), both kept in step by
triggers (see the migrations).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from cong.core.models import TimeStampedModel


class ValidityStatus(models.TextChoices):
    NOT_YET = "not_yet", _("Chưa có hiệu lực")
    IN_FORCE = "in_force", _("Còn hiệu lực")
    PARTIAL = "partial", _("Hết hiệu lực một phần")
    EXPIRED = "expired", _("Hết hiệu lực toàn bộ")
    UNKNOWN = "unknown", _("Chưa xác định")


class EventKind(models.TextChoices):
    EFFECTIVE = "effective", _("Có hiệu lực")
    AMENDED = "amended", _("Được sửa đổi, bổ sung")
    REPLACED = "replaced", _("Bị thay thế")
    REPEALED = "repealed", _("Bị bãi bỏ")
    PARTIAL_REPEAL = "partial_repeal", _("Bị bãi bỏ một phần")
    EXPIRED = "expired", _("Hết hiệu lực toàn bộ")
    PARTIAL_EXPIRED = "partial_expired", _("Hết hiệu lực một phần")


# Events that end a document entirely, and those that end it in part.
ENDING_EVENTS = {EventKind.REPLACED, EventKind.REPEALED, EventKind.EXPIRED}
PARTIAL_EVENTS = {EventKind.PARTIAL_REPEAL, EventKind.PARTIAL_EXPIRED}


class RelationKind(models.TextChoices):
    BASED_ON = "based_on", _("Căn cứ")
    GUIDES = "guides", _("Hướng dẫn")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    REPLACES = "replaces", _("Thay thế")
    REPEALS = "repeals", _("Bãi bỏ")


# How a relation reads from its target's side.
RELATION_INVERSE = {
    RelationKind.BASED_ON: _("Là căn cứ của"),
    RelationKind.GUIDES: _("Được hướng dẫn bởi"),
    RelationKind.AMENDS: _("Được sửa đổi, bổ sung bởi"),
    RelationKind.REPLACES: _("Bị thay thế bởi"),
    RelationKind.REPEALS: _("Bị bãi bỏ bởi"),
}


class GazetteIssue(TimeStampedModel):
    """One numbered issue of a portal's gazette in a year (số công báo)."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng thông tin"), on_delete=models.PROTECT,
        related_name="gazette_issues",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số công báo"))
    published_on = models.DateField(_("ngày phát hành"))
    pdf = models.FileField(_("tệp PDF cả số"), upload_to="cong-bao/so/", blank=True)

    class Meta:
        verbose_name = _("số công báo")
        verbose_name_plural = _("số công báo")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "year", "number"], name="gazette_issue_unique_number"),
        ]
        indexes = [models.Index(fields=["portal", "published_on"])]

    def __str__(self):
        return _("Công báo số %(number)s/%(year)s") % {"number": self.number, "year": self.year}


class LegalDocument(TimeStampedModel):
    """A document issued by an agency, as the portal publishes it."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng thông tin"), on_delete=models.PROTECT,
        related_name="legal_documents",
    )
    number = models.CharField(_("số, ký hiệu"), max_length=64)
    number_key = models.CharField(max_length=64, editable=False)
    doc_type = models.CharField(_("loại văn bản"), max_length=64)
    normative = models.BooleanField(_("văn bản quy phạm pháp luật"), default=False)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_key = models.CharField(max_length=255, editable=False)
    issuer_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị ban hành"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="issued_documents",
        help_text=_("Giữ nguyên cơ quan ban hành gốc kể cả khi đã sáp nhập."),
    )
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    signer_key = models.CharField(max_length=255, blank=True, editable=False)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    issued_year = models.PositiveSmallIntegerField(editable=False)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=255, blank=True)
    field_key = models.CharField(max_length=255, blank=True, editable=False)
    summary = models.TextField(_("trích yếu"))
    gazette_number = models.CharField(_("số công báo"), max_length=32, blank=True)
    gazette_date = models.DateField(_("ngày công báo"), null=True, blank=True)
    gazette_issue = models.ForeignKey(
        GazetteIssue, verbose_name=_("thuộc số công báo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="documents",
    )
    gazette_position = models.PositiveIntegerField(_("thứ tự trong số"), null=True, blank=True)
    posted_at = models.DateTimeField(_("đăng lên cổng lúc"), null=True, blank=True)
    posted_on = models.DateField(null=True, blank=True, editable=False)
    posting_deadline = models.DateField(_("hạn đăng"), null=True, blank=True, editable=False)
    posted_late = models.BooleanField(_("đăng muộn"), default=False, editable=False)
    # Validity derived from the events (see services.document_validity_refresh).
    in_force_from = models.DateField(null=True, blank=True, editable=False)
    in_force_until = models.DateField(null=True, blank=True, editable=False)
    partial_from = models.DateField(null=True, blank=True, editable=False)
    text = models.TextField(_("nội dung trích xuất"), blank=True, editable=False)
    needs_ocr = models.BooleanField(_("cần nhận dạng chữ (OCR)"), default=False, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    page = models.ForeignKey(
        "content.DocumentPage", verbose_name=_("tin văn bản trên cổng"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="gazette_entries",
        help_text=_("Tin “văn bản” của chuyên mục Văn bản công bố văn bản này."),
    )

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_key", "number_key"], name="gazette_number_unique_per_issuer"),
        ]
        indexes = [
            models.Index(fields=["portal", "-issued_on", "-id"], name="gazette_portal_issued"),
            models.Index(fields=["-issued_on", "-id"], name="gazette_issued"),
            models.Index(fields=["portal", "posted_on"], name="gazette_portal_posted"),
            models.Index(fields=["portal", "doc_type"], name="gazette_portal_type"),
            models.Index(fields=["portal", "issuer_key", "issuer_name"], name="gazette_portal_issuer"),
            models.Index(fields=["portal", "field_key", "field"], name="gazette_portal_field"),
            models.Index(fields=["portal", "issued_year"], name="gazette_portal_year"),
            models.Index(fields=["portal", "normative"], name="gazette_portal_normative"),
            models.Index(fields=["portal", "signer_key", "signer"], name="gazette_portal_signer"),
            models.Index(fields=["portal", "posted_late", "posted_on"], name="gazette_portal_late"),
            models.Index(fields=["doc_type"], name="gazette_type"),
            models.Index(fields=["issuer_key", "issuer_name"], name="gazette_issuer"),
            models.Index(fields=["normative"], name="gazette_normative"),
            models.Index(fields=["field_key", "field"], name="gazette_field"),
            models.Index(fields=["signer_key", "signer"], name="gazette_signer"),
            models.Index(fields=["portal", "in_force_from", "in_force_until", "partial_from"],
                         name="gazette_portal_validity"),
            models.Index(fields=["in_force_from", "in_force_until", "partial_from"], name="gazette_validity"),
            models.Index(fields=["issued_year"], name="gazette_year"),
            # QPPL documents are few: their own newest-first lists (a boolean
            # column's index looks, to the planner, like half the table).
            models.Index(fields=["-issued_on", "-id"], condition=models.Q(normative=True),
                         name="gazette_qppl_issued"),
            models.Index(fields=["portal", "-issued_on", "-id"], condition=models.Q(normative=True),
                         name="gazette_portal_qppl_issued"),
            # Status counts of a whole list by range (selectors._status_counts).
            models.Index(fields=["portal", "in_force_until"], name="gazette_portal_until"),
            models.Index(fields=["in_force_until"], name="gazette_until"),
            models.Index(fields=["portal", "partial_from"], name="gazette_portal_partial"),
            models.Index(fields=["partial_from"], name="gazette_partial"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        doc = super().from_db(db, field_names, values)
        doc._facet_state = doc.facet_state() if FACET_SOURCE_FIELDS.issubset(field_names) else None
        return doc

    def facet_state(self) -> tuple[int | None, frozenset]:
        """The portal and the (facet, key, label) values this document counts for."""
        values = {("doc_type", self.doc_type, self.doc_type), ("year", str(self.issued_year), str(self.issued_year)),
                  ("normative", "1" if self.normative else "0", "")}
        for facet, key, label in (("issuer", self.issuer_key, self.issuer_name), ("field", self.field_key, self.field),
                                  ("signer", self.signer_key, self.signer)):
            if key:
                values.add((facet, key, label))
        return self.portal_id, frozenset(values)

    def save(self, *args, **kwargs):
        """Saves the document and, in the same transaction, moves the
        precomputed facet counts (FacetCount) from its old values to its new ones."""
        from django.db import transaction

        old = getattr(self, "_facet_state", None)
        if old is None and self.pk is not None and not self._state.adding:
            stored = LegalDocument.objects.filter(pk=self.pk).first()
            old = stored.facet_state() if stored is not None else None
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            new = self.facet_state()
            FacetCount.move(old, new)
        self._facet_state = new

    def delete(self, *args, **kwargs):
        from django.db import transaction

        from cong.core import cache_version

        from .services import CACHE_SCOPE

        stored = LegalDocument.objects.filter(pk=self.pk).first() if self.pk is not None else None
        with transaction.atomic(using=kwargs.get("using")):
            result = super().delete(*args, **kwargs)
            if stored is not None:
                FacetCount.move(stored.facet_state(), None)
            # the register's cached counts, pages and facets are stale now
            cache_version.bump(CACHE_SCOPE)
        self._facet_state = None
        return result

    def __str__(self):
        return f"{self.number} — {self.summary[:80]}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("gazette:document", args=[self.pk])

    def status_on(self, day: dt.date) -> str:
        from .selectors import document_status_on

        return document_status_on(self, day)


FACET_SOURCE_FIELDS = frozenset({"portal_id", "doc_type", "issued_year", "normative", "issuer_key", "issuer_name",
                                 "field_key", "field", "signer_key", "signer"})


class FacetCount(models.Model):
    """How many documents of a portal have each value of a register facet
    (type, issuer, field, year, signer, QPPL): the facets of a portal's and
    the network's whole register without reading every document.

    Kept exact in the same transaction as every document change by
    ``LegalDocument.save()`` / ``delete()``; bulk loads that bypass them call
    ``services.facet_counts_rebuild()``."""

    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=16)
    key = models.CharField(max_length=255)
    label = models.CharField(max_length=255, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "facet", "key"], name="gazette_facetcount_unique")]

    def __str__(self):
        return f"{self.portal_id} {self.facet}={self.key}: {self.count}"

    @classmethod
    def move(cls, old: tuple | None, new: tuple | None) -> None:
        """Count a document out of its old (portal, values) and into its new ones."""
        from django.db.models import F

        old_portal, old_values = old or (None, frozenset())
        new_portal, new_values = new or (None, frozenset())
        if old_portal == new_portal:
            old_values, new_values = old_values - new_values, new_values - old_values
        for facet, key, _label in old_values:
            cls.objects.filter(portal_id=old_portal, facet=facet, key=key).update(count=F("count") - 1)
        if old_values:
            cls.objects.filter(portal_id=old_portal, count__lte=0).delete()
        for facet, key, label in new_values:
            if not cls.objects.filter(portal_id=new_portal, facet=facet, key=key).update(count=F("count") + 1):
                cls.objects.create(portal_id=new_portal, facet=facet, key=key, label=label, count=1)


class DocumentFile(models.Model):
    """A file of a document: the signed PDF (kept byte for byte) or the
    editable DOC/DOCX, with the text extracted from it."""

    KIND_CHOICES = [("pdf", "PDF"), ("docx", "DOCX"), ("doc", "DOC")]

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại tệp"), max_length=8, choices=KIND_CHOICES)
    file = models.FileField(_("tệp"), upload_to="cong-bao/van-ban/%Y/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    needs_ocr = models.BooleanField(_("cần nhận dạng chữ (OCR)"), default=False)

    class Meta:
        verbose_name = _("tệp văn bản")
        verbose_name_plural = _("tệp văn bản")
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class ValidityEvent(models.Model):
    """A dated change in a document's validity, caused by another document
    (or by its own dates: coming into force, a fixed end)."""

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("sự kiện"), max_length=16, choices=EventKind.choices)
    on = models.DateField(_("từ ngày"))
    caused_by = models.ForeignKey(
        LegalDocument, verbose_name=_("do văn bản"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="caused_events",
    )
    note = models.CharField(_("ghi chú (điều, khoản)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sự kiện hiệu lực")
        verbose_name_plural = _("sự kiện hiệu lực")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class Relation(models.Model):
    """``source`` <kind> ``target``: e.g. source replaces target."""

    source = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("quan hệ"), max_length=16, choices=RelationKind.choices)

    class Meta:
        verbose_name = _("quan hệ văn bản")
        verbose_name_plural = _("quan hệ văn bản")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="gazette_relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="gazette_relation_not_self"),
        ]

    def __str__(self):
        return f"{self.source_id} {self.kind} {self.target_id}"


class PostingRule(models.Model):
    """How many working days after issue a document must appear on the
    portal (legal-requirements.md §2.4). The most specific rule wins: a
    portal's rule over the network's, a type over any type."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng thông tin"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="posting_rules",
        help_text=_("Để trống: áp dụng cho mọi cổng."),
    )
    doc_type = models.CharField(_("loại văn bản"), max_length=64, blank=True,
                                help_text=_("Để trống: mọi loại."))
    normative = models.BooleanField(_("chỉ văn bản QPPL"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quy định thời hạn đăng")
        verbose_name_plural = _("quy định thời hạn đăng")

    def __str__(self):
        return f"{self.doc_type or '*'}: {self.working_days}"
