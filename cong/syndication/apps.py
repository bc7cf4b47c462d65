from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "cong.syndication"
    label = "syndication"
    verbose_name = _("Lan tỏa thông tin")

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
