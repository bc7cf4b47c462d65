"""Record kinds owned by units: ``unit`` (see docs/import-format.md)."""

from __future__ import annotations

from django.utils.text import slugify

from cong.core.records import F, RecordKind, register
from cong.core.vn import fold

from . import services
from .choices import UnitType
from .models import Unit


@register
class UnitKind(RecordKind):
    """A unit; ``id`` becomes its code (slugified) when the unit is new, and
    an existing unit with that code is adopted rather than duplicated."""

    kind = "unit"
    model = Unit
    order = 10
    self_refs = ("parent", "successor")
    fields = (
        F("name", required=True, max_length=255),
        F("type", "enum", required=True, choices=tuple(UnitType.values)),
        F("parent", "ref", ref="unit"),
        F("hostname", "hostname"),
        F("short_name", max_length=100),
        F("address", max_length=255),
        F("phone", max_length=64),
        F("email", "email"),
        F("active", "bool", default=True),
        F("successor", "ref", ref="unit"),
    )

    def find_existing(self, source_id: str) -> Unit | None:
        return Unit.objects.filter(code=slugify(fold(source_id))).first()

    def write(self, data, ctx, instance):
        parent = ctx.resolve("unit", data["parent"], field="parent") if data["parent"] else None
        fields = {
            "short_name": data["short_name"] or "",
            "address": data["address"] or "",
            "phone": data["phone"] or "",
            "email": data["email"] or "",
        }
        if instance is None:
            unit = services.unit_create(
                name=data["name"], unit_type=data["type"], code=data["id"],
                parent=parent, hostname=data["hostname"], **fields,
            )
        else:
            unit = services.unit_update(
                unit=instance, name=data["name"], unit_type=data["type"], parent=parent,
                hostname=data["hostname"], **fields,
            )
        if data["successor"]:
            successor = ctx.resolve("unit", data["successor"], field="successor")
            if unit.successor_id != successor.pk:
                services.unit_merge(unit=unit, into=successor)
        elif not data["active"] and unit.active:
            services.unit_deactivate(unit=unit)
        elif data["active"] and not unit.active:
            services.unit_update(unit=unit, active=True)
        return unit
