from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from cong.core import vn
from cong.units.choices import LEADER_ROLES
from cong.units.models import PortalGroup

from .selectors import target_progress


class TargetProgressPanel(Component):
    """Board leaders see what their portal published against the year's target
    (Wagtail's own "awaiting your review" panel is their queue)."""

    name = "cong_target_progress"
    template_name = "reporting/panels/target_progress.html"
    order = 90

    def __init__(self, portals):
        self.portals = portals

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        today = timezone.localdate()
        rows = []
        for portal in self.portals:
            p = target_progress(unit=portal.unit, today=today)
            rows.append({
                "unit_name": p.unit_name, "target": p.target, "published": p.published,
                "share_of_target": vn.percent(p.published, p.target) if p.target else None,
                "year_pct": vn.decimal(p.share_of_year * 100, 1),
                "needed_per_day": vn.decimal(p.needed_per_day, 1) if p.needed_per_day else None,
                "on_pace": p.on_pace,
            })
        context.update({"rows": rows, "progress": {"year": today.year}})
        return context


@hooks.register("construct_homepage_panels")
def add_target_panel(request, panels):
    portals = [
        pg.portal for pg in PortalGroup.objects.filter(
            group__user=request.user, role__in=LEADER_ROLES
        ).select_related("portal__unit").order_by("portal__unit__name")
    ]
    if portals:
        panels.append(TargetProgressPanel(portals))


@hooks.register("register_admin_urls")
def reporting_urls():
    from django.urls import path

    from .views import admin as views

    return [
        path("bao-cao/", views.reports_home, name="reporting_home"),
        path("bao-cao/yeu-cau/<int:request_id>/<int:unit_id>/", views.submission_start,
             name="reporting_submission_start"),
        path("bao-cao/<int:pk>/", views.submission_edit, name="reporting_submission"),
        path("bao-cao/mang-luoi/", views.network_overview, name="reporting_network"),
        path("bao-cao/mau/", views.template_upload, name="reporting_templates"),
    ]


class _ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        from .permissions import can_oversee_reports, units_reportable_by

        return can_oversee_reports(request.user) or units_reportable_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def reporting_menu_item():
    from django.urls import reverse

    return _ReportsMenuItem(_("Báo cáo"), reverse("reporting_home"), icon_name="doc-full", order=820)


@hooks.register("register_log_actions")
def reporting_log_actions(actions):
    actions.register_action("cong.report.submit", _("Gửi báo cáo"), _("Báo cáo được gửi"))


@hooks.register("register_admin_viewset")
def reporting_viewsets():
    from .views.admin import WorkPlanTaskViewSet

    return WorkPlanTaskViewSet()
