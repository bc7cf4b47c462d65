"""Record kinds owned by analytics: ``visits_daily`` (docs/import-format.md).

One day of one portal's traffic from before tracking. For that unit and day
the imported figure replaces the portal's own tracking in every report and
counter (see selectors)."""

from cong.core.records import F, RecordKind, register

from . import services
from .models import ImportedDay


@register
class VisitsDailyKind(RecordKind):
    kind = "visits_daily"
    model = ImportedDay
    order = 60
    fields = (
        F("unit", "ref", required=True, ref="unit"),
        F("date", "date", required=True),
        F("visits", "int", required=True, min_value=0),
        F("pageviews", "int", required=True, min_value=0),
        F("visit_seconds", "int", required=True, min_value=0),
    )

    def write(self, data, ctx, instance):
        unit = ctx.resolve("unit", data["unit"], field="unit")
        return services.imported_day_set(
            unit=unit, date=data["date"], visits=data["visits"], pageviews=data["pageviews"],
            visit_seconds=data["visit_seconds"], source_id=data["id"], instance=instance,
        )
