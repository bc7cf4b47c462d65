from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "cong.units"
    label = "units"
    verbose_name = _("Đơn vị và cổng thông tin")

    def ready(self):
        from . import signal_handlers
        from .models import _register_scoped

        _register_scoped()
        signal_handlers.register()
