"""Record kind owned by the gazette: ``legal_document`` (docs/import-format.md)."""

from __future__ import annotations

from cong.core.errors import ApplicationError
from cong.core.records import F, RecordError, RecordKind, register

from .models import LegalDocument
from .services import document_check, document_save, posting_days

# Service field names → record field names, for error listings.
_RECORD_FIELD = {"issuer_name": "issuer", "files": "-"}


@register
class LegalDocumentKind(RecordKind):
    kind = "legal_document"
    model = LegalDocument
    order = 40
    fields = (
        F("unit", "ref", required=True, ref="unit"),
        F("number", required=True, max_length=64),
        F("doc_type", required=True, max_length=64),
        F("normative", "bool", required=True),
        F("issuer", required=True, max_length=255),
        F("issued_on", "date", required=True),
        F("posted_at", "datetime", required=True),
        F("summary", "text", required=True),
        F("signer", max_length=255),
        F("signer_title", max_length=255),
        F("effective_on", "date"),
        F("expires_on", "date"),
        F("field", max_length=255),
        F("gazette_number", max_length=32),
        F("gazette_date", "date"),
    )

    @staticmethod
    def _fields(data) -> dict:
        return {
            "number": data["number"], "doc_type": data["doc_type"].strip(),
            "normative": data["normative"], "issuer_name": data["issuer"].strip(),
            "issued_on": data["issued_on"], "posted_at": data["posted_at"],
            "summary": data["summary"].strip(), "signer": data["signer"] or "",
            "signer_title": data["signer_title"] or "", "effective_on": data["effective_on"],
            "expires_on": data["expires_on"], "field": data["field"] or "",
            "gazette_number": data["gazette_number"] or "", "gazette_date": data["gazette_date"],
        }

    def clean(self, data):
        fields = self._fields(data)
        for name in ("number", "doc_type", "issuer", "summary"):
            if not (data[name] or "").strip():
                raise RecordError(name, "bắt buộc")
        if fields["effective_on"] and fields["effective_on"] < fields["issued_on"]:
            raise RecordError("effective_on", "ngày có hiệu lực trước ngày ban hành")
        if fields["expires_on"] and fields["expires_on"] < (fields["effective_on"] or fields["issued_on"]):
            raise RecordError("expires_on", "ngày hết hiệu lực trước ngày có hiệu lực")

    def write(self, data, ctx, instance):
        unit = ctx.resolve("unit", data["unit"], field="unit")
        portal = getattr(unit, "portal", None)
        if portal is None:
            raise RecordError("unit", f"đơn vị '{data['unit']}' chưa có cổng thông tin")
        fields = self._fields(data)
        # The posting rule is read once per portal, type and kind of document.
        rules = ctx.cache.setdefault("gazette_rules", {})
        rule_key = (portal.pk, fields["doc_type"], fields["normative"])
        if rule_key not in rules:
            rules[rule_key] = posting_days(portal, fields["doc_type"], fields["normative"])
        try:
            document_check(fields, instance=instance)
            return document_save(portal=portal, data=fields, instance=instance, rules_days=rules[rule_key],
                                 check=False)
        except ApplicationError as exc:
            raise RecordError(_RECORD_FIELD.get(exc.field, exc.field or "-"), exc.message) from exc
