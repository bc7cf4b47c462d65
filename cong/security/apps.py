from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cong.security"
    label = "security"
    verbose_name = _("An toàn thông tin")

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
