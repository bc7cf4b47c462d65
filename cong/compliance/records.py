"""Record kinds owned by compliance: ``trust_label`` (see docs/import-format.md)."""

from cong.core.records import F, RecordError, RecordKind, register

from . import services
from .models import TrustLabel


@register
class TrustLabelKind(RecordKind):
    kind = "trust_label"
    model = TrustLabel
    order = 30
    fields = (
        F("unit", "ref", required=True, ref="unit"),
        F("certificate", required=True, max_length=128),
        F("issued_on", "date", required=True),
        F("expires_on", "date"),
        F("issuer", max_length=128, default="NCSC"),
    )

    def clean(self, data):
        if data["expires_on"] and data["expires_on"] < data["issued_on"]:
            raise RecordError("expires_on", "phải sau hoặc bằng issued_on")

    def write(self, data, ctx, instance):
        unit = ctx.resolve("unit", data["unit"], field="unit")
        return services.trust_label_save(
            unit=unit, certificate=data["certificate"], issued_on=data["issued_on"],
            expires_on=data["expires_on"], issuer=data["issuer"] or "NCSC",
            domain=instance.domain if instance else "",
            certificate_url=instance.certificate_url if instance else "",
            instance=instance,
        )
