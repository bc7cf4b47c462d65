from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "cong.content"
    label = "content"
    verbose_name = _("Nội dung")

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
