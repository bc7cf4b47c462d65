from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin_views import (
    GazetteIssueViewSet,
    LegalDocumentViewSet,
    PostingRuleViewSet,
    RelationViewSet,
    ValidityEventViewSet,
    late_postings_view,
)


class GazetteGroup(ViewSetGroup):
    menu_label = _("Công báo")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (LegalDocumentViewSet, ValidityEventViewSet, RelationViewSet, GazetteIssueViewSet, PostingRuleViewSet)


@hooks.register("register_admin_viewset")
def register_gazette_viewsets():
    return GazetteGroup()


@hooks.register("register_admin_urls")
def register_gazette_admin_urls():
    return [path("cong-bao/dang-muon/", late_postings_view, name="gazette_late_postings")]


@hooks.register("register_reports_menu_item")
def register_late_postings_menu_item():
    return MenuItem(_("Văn bản đăng muộn"), reverse("gazette_late_postings"), icon_name="warning", order=700)
