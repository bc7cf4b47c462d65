from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("cong_periodic_jobs")
def analytics_jobs():
    from cong.core.scheduler import PeriodicJob

    from .tasks import analytics_prune, analytics_rollup

    return [
        PeriodicJob("analytics_rollup", 300, analytics_rollup.enqueue),
        PeriodicJob("analytics_prune", 6 * 3600, analytics_prune.enqueue),
    ]


@hooks.register("register_admin_urls")
def analytics_urls():
    from django.urls import path

    from .views import admin as views

    return [path("thong-ke/", views.dashboard, name="analytics_dashboard")]


class _DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        from cong.units.permissions import is_network_overseer, portal_ids_for_user

        return is_network_overseer(request.user) or bool(portal_ids_for_user(request.user))


@hooks.register("register_admin_menu_item")
def analytics_menu_item():
    from django.urls import reverse

    return _DashboardMenuItem(_("Thống kê truy cập"), reverse("analytics_dashboard"), icon_name="view", order=830)
