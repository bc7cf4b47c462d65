from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "cong.reporting"
    label = "reporting"
    verbose_name = _("Kế hoạch và báo cáo")
