from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "cong.engagement"
    label = "engagement"
    verbose_name = _("Tương tác với người dân và tổ chức")

    def ready(self):
        from .models import _register_scoped

        _register_scoped()
