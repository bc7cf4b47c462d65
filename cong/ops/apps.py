from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: health and readiness, metrics, request ids in the logs,
    nginx cache purging and the deployment check (issue 11)."""

    name = "cong.ops"
    label = "ops"
    verbose_name = _("Vận hành")

    def ready(self):
        from cong.core.page_cache import add_purge_listener

        from .frontend_cache import purge_listener

        add_purge_listener(purge_listener)
