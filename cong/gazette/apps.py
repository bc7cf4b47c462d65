from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GazetteConfig(AppConfig):
    name = "cong.gazette"
    label = "gazette"
    verbose_name = _("Công báo điện tử")

    def ready(self):
        from cong.units.permissions import register_portal_scoped

        from . import signal_handlers
        from .models import GazetteIssue, LegalDocument, ValidityEvent

        signal_handlers.register()
        register_portal_scoped(LegalDocument)
        register_portal_scoped(GazetteIssue)
        register_portal_scoped(ValidityEvent, "document__portal")
