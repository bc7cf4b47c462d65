"""Record kinds owned by engagement: ``support_case`` (docs/import-format.md)."""

from __future__ import annotations

from cong.core.html import text_only
from cong.core.records import F, RecordError, RecordKind, register

from .choices import SupportType
from .models import SupportCase


@register
class SupportCaseKind(RecordKind):
    kind = "support_case"
    model = SupportCase
    order = 40
    fields = (
        F("unit", "ref", required=True, ref="unit"),
        F("type", "enum", required=True, choices=tuple(SupportType.values)),
        F("opened_at", "datetime", required=True),
        F("summary", "text"),
        F("requester", max_length=255),
        F("province", max_length=255),
        F("closed_at", "datetime"),
    )

    def clean(self, data):
        if data["closed_at"] is not None and data["closed_at"] < data["opened_at"]:
            raise RecordError("closed_at", "trước thời điểm bắt đầu (opened_at)")

    def write(self, data, ctx, instance):
        case = instance or SupportCase()
        case.unit = ctx.resolve("unit", data["unit"], field="unit")
        case.case_type = data["type"]
        case.opened_at = data["opened_at"]
        case.closed_at = data["closed_at"]
        case.summary = text_only(data["summary"] or "")
        case.requester = text_only(data["requester"] or "")
        case.province = text_only(data["province"] or "")
        case.save()
        return case
