"""Record kinds owned by reporting: ``target`` (see docs/import-format.md)."""

from cong.core.records import F, RecordKind, register

from . import services
from .models import AnnualTarget


@register
class TargetKind(RecordKind):
    kind = "target"
    model = AnnualTarget
    order = 20
    fields = (
        F("unit", "ref", required=True, ref="unit"),
        F("year", "int", required=True, min_value=2000),
        F("items", "int", required=True, min_value=0),
    )

    def write(self, data, ctx, instance):
        unit = ctx.resolve("unit", data["unit"], field="unit")
        if instance is not None and (instance.unit_id, instance.year) != (unit.pk, data["year"]):
            # The record moved to another unit or year: move the row with it.
            instance.unit, instance.year, instance.items = unit, data["year"], data["items"]
            instance.full_clean()
            instance.save()
            return instance
        return services.target_set(unit=unit, year=data["year"], items=data["items"])
