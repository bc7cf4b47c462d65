from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cong.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self):
        # Each app declares the record kinds it owns in its records.py.
        autodiscover_modules("records")
