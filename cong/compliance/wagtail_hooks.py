from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def compliance_urls():
    from .views import admin as views

    return [
        path("tuan-thu/", views.home, name="compliance_home"),
        path("tuan-thu/cong/<int:portal_id>/", views.portal_page, name="compliance_portal"),
        path("tuan-thu/mang-luoi/", views.network, name="compliance_network"),
        path("tuan-thu/quy-tac/", views.rules_page, name="compliance_rules"),
    ]


class _ComplianceMenuItem(MenuItem):
    def is_shown(self, request):
        from cong.units.permissions import portals_for_user

        return portals_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def compliance_menu_item():
    return _ComplianceMenuItem(_("Tuân thủ"), reverse("compliance_home"), icon_name="tasks", order=830)


@hooks.register("register_admin_viewset")
def compliance_viewsets():
    from .views.admin import MaintenanceNoticeViewSet, TrustLabelViewSet

    return [TrustLabelViewSet(), MaintenanceNoticeViewSet()]


@hooks.register("cong_periodic_jobs")
def compliance_jobs():
    from cong.core.scheduler import PeriodicJob

    from .tasks import check_network, trust_labels_daily

    return [
        PeriodicJob("compliance_trust_labels", 6 * 3600, lambda: trust_labels_daily.enqueue()),
        PeriodicJob("compliance_network_check", 24 * 3600, lambda: check_network.enqueue()),
    ]


# The board's secretary and leaders keep the portal's trust labels and
# maintenance notices; the viewsets limit the rows to their portals.
REGISTER_PERMISSIONS = tuple(
    f"compliance.{action}_{model}"
    for model in ("trustlabel", "maintenancenotice")
    for action in ("add", "change", "delete", "view")
)


@hooks.register("cong_after_portal_create")
def grant_register_permissions(portal):
    from django.contrib.auth.models import Permission

    from cong.units.choices import BoardRole

    perms = list(Permission.objects.filter(
        content_type__app_label="compliance",
        codename__in=[p.split(".", 1)[1] for p in REGISTER_PERMISSIONS],
    ))
    for pg in portal.groups.filter(role__in=(BoardRole.SECRETARY, BoardRole.DEPUTY, BoardRole.CHIEF)):
        pg.group.permissions.add(*perms)
