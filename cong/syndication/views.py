"""Admin screens of the syndication app."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.models import Page

from cong.units.permissions import can_access_portal, portal_ids_for_user
from cong.units.views.admin import PortalScopedModelViewSet

from . import selectors, services
from .forms import ChannelForm
from .models import Channel, OutboxPost

MANAGE_PERMISSION = "syndication.change_channel"


class ChannelCreateView(generic.CreateView):
    def save_instance(self):
        channel = self.form.save(commit=False)
        return services.channel_save(channel=channel, secrets=self.form.secrets(), actor=self.request.user)


class ChannelEditView(generic.EditView):
    def save_instance(self):
        channel = self.form.save(commit=False)
        return services.channel_save(channel=channel, secrets=self.form.secrets(), actor=self.request.user)

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(
            gettext_lazy("Kiểm tra kết nối"), url=reverse("syndication_channel:check", args=[self.object.pk]),
            icon_name="link", priority=30,
        ))
        return buttons


def channel_check_view(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    if not can_access_portal(request.user, channel.portal) or not request.user.has_perm(MANAGE_PERMISSION):
        raise Http404
    if request.method == "POST":
        ok, message = services.channel_check(channel=channel)
        (messages.success if ok else messages.error)(request, message)
        return redirect("syndication_channel:edit", channel.pk)
    return TemplateResponse(request, "syndication/admin/channel_check.html", {"channel": channel})


class ChannelViewSet(PortalScopedModelViewSet):
    model = Channel
    name = "syndication_channel"
    url_prefix = "lan-toa/kenh"
    icon = "site"
    menu_label = gettext_lazy("Kênh lan tỏa")
    add_to_admin_menu = False
    list_display = [
        "__str__", "portal", Column("kind", label=gettext_lazy("Kênh")),
        BooleanColumn("enabled", label=gettext_lazy("Đang dùng")),
        BooleanColumn("dry_run", label=gettext_lazy("Chạy thử")),
        BooleanColumn("last_check_ok", label=gettext_lazy("Kết nối được")),
    ]
    list_filter = ["kind", "enabled", "dry_run"]
    panels = [
        FieldPanel("portal"), FieldPanel("kind"), FieldPanel("name"), FieldPanel("enabled"),
        FieldPanel("dry_run"), FieldPanel("account_id"), FieldPanel("app_id"),
        FieldPanel("new_app_secret"), FieldPanel("new_access_token"), FieldPanel("new_refresh_token"),
        FieldPanel("access_token_expires_at"),
    ]
    edit_handler = ObjectList(panels, base_form_class=ChannelForm)
    add_view_class = ChannelCreateView
    edit_view_class = ChannelEditView

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("<int:pk>/check/", channel_check_view, name="check")]


def problems_view(request):
    """Failed and unknown posts of the user's portals, with a retry action."""
    rows = selectors.outbox_problems(portal_ids_for_user(request.user))
    return TemplateResponse(request, "syndication/admin/problems.html", {
        "rows": rows[:200], "can_retry": request.user.has_perm(MANAGE_PERMISSION),
    })


@require_POST
def retry_view(request, pk):
    post = get_object_or_404(OutboxPost.objects.select_related("portal"), pk=pk)
    if not can_access_portal(request.user, post.portal):
        raise Http404
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied
    state = services.outbox_retry(post=post, actor=request.user)
    if post.item is not None:
        log(instance=post.item.specific, action="cong.syndication.retry", user=request.user,
            data={"channel": post.channel_kind, "outbox": post.pk, "state": state})
    if state == "sent":
        messages.success(request, _("Đã tìm thấy bài trên kênh; không cần đăng lại."))
    elif state == "unknown":
        messages.warning(request, _("Chưa đối chiếu được với kênh; bài chưa được đăng lại. Hãy thử lại sau."))
    else:
        messages.success(request, _("Đã đưa bài vào hàng đợi để gửi lại."))
    return redirect(request.POST.get("next") or reverse("syndication_problems"))


def item_view(request, page_id):
    """Where one item was spread, with links, and every attempt."""
    page = get_object_or_404(Page, pk=page_id).specific
    portal = services.portal_of_page(page)
    if portal is None or not can_access_portal(request.user, portal):
        raise Http404
    return TemplateResponse(request, "syndication/admin/item.html", {
        "page": page, "posts": selectors.item_posts(page), "rows": selectors.item_outbox(page),
        "can_retry": request.user.has_perm(MANAGE_PERMISSION),
    })
