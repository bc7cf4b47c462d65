from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignSystemConfig(AppConfig):
    name = "cong.design_system"
    label = "design_system"
    verbose_name = _("Giao diện")

    def ready(self):
        from . import admin_csp

        admin_csp.install()
