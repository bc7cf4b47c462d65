from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.widgets.button import Button

from cong.units.choices import BoardRole

from .views import ChannelViewSet, item_view, problems_view, retry_view

channel_viewset = ChannelViewSet()

# The portal's leaders and secretary configure channels and retry posts.
CHANNEL_ROLES = (BoardRole.CHIEF, BoardRole.DEPUTY, BoardRole.SECRETARY)
CHANNEL_PERMISSIONS = ("add_channel", "change_channel", "view_channel")


@hooks.register("register_admin_viewset")
def register_channel_viewset():
    return channel_viewset


@hooks.register("register_admin_urls")
def syndication_urls():
    return [
        path("lan-toa/loi/", problems_view, name="syndication_problems"),
        path("lan-toa/loi/<int:pk>/thu-lai/", retry_view, name="syndication_retry"),
        path("lan-toa/tin/<int:page_id>/", item_view, name="syndication_item"),
    ]


class _ChannelMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("syndication.view_channel")


@hooks.register("register_admin_menu_item")
def syndication_menu():
    from wagtail.admin.menu import Menu

    menu = Menu(items=[
        _ChannelMenuItem(_("Kênh Zalo, Facebook"), reverse("syndication_channel:index"), icon_name="site", order=1),
        MenuItem(_("Bài lỗi, chưa rõ kết quả"), reverse("syndication_problems"), icon_name="warning", order=2),
    ])
    return SubmenuMenuItem(_("Lan tỏa thông tin"), menu, icon_name="globe", order=560)


@hooks.register("register_page_header_buttons")
def item_spread_button(page, user, view_name, next_url=None):
    from cong.content.models import ItemPage

    if issubclass(page.specific_class or object, ItemPage):
        yield Button(_("Lan tỏa"), url=reverse("syndication_item", args=[page.pk]), icon_name="globe", priority=90)


@hooks.register("cong_after_portal_create")
def grant_channel_permissions(portal):
    perms = list(Permission.objects.filter(content_type__app_label="syndication", codename__in=CHANNEL_PERMISSIONS))
    for pg in portal.groups.filter(role__in=CHANNEL_ROLES).select_related("group"):
        pg.group.permissions.add(*perms)


@hooks.register("register_log_actions")
def register_syndication_log_actions(actions):
    actions.register_action("cong.syndication.retry", _("Thử lại lan tỏa"), _("Lan tỏa được thử lại"))


@hooks.register("cong_periodic_jobs")
def syndication_jobs():
    from cong.core.scheduler import PeriodicJob

    from .services import outbox_drain, outbox_sweep

    return [
        PeriodicJob("syndication_sweep", 300, outbox_sweep),
        PeriodicJob("syndication_outbox", 30, lambda: outbox_drain(max_seconds=25)),
    ]
