from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "cong.compliance"
    label = "compliance"
    verbose_name = _("Kiểm tra tuân thủ")

    def ready(self):
        from cong.units.permissions import register_portal_scoped

        from . import signal_handlers
        from .models import CheckRun, MaintenanceNotice, TrustLabel

        signal_handlers.register()

        register_portal_scoped(TrustLabel, "unit__portal")
        register_portal_scoped(MaintenanceNotice)
        register_portal_scoped(CheckRun)
