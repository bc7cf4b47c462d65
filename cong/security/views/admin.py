from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import BlockedLinkDomain


class BlockedLinkDomainViewSet(ModelViewSet):
    """The province's blocklist of link targets (model permissions: the
    network's operators)."""

    model = BlockedLinkDomain
    name = "security_blocked_domains"
    url_prefix = "ten-mien-bi-chan"
    icon = "cross"
    menu_label = _("Tên miền bị chặn")
    add_to_settings_menu = True
    list_display = ["domain", "reason", "created_at"]
    search_fields = ["domain"]
    form_fields = ["domain", "reason"]
