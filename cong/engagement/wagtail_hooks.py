from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet

from cong.core.scheduler import PeriodicJob
from cong.units.forms import PortalScopedForm
from cong.units.permissions import portal_ids_for_user
from cong.units.views.admin import PortalScopedSnippetViewSet

from . import admin_urls, jobs
from .models import DisclosureItem


class DisclosureItemViewSet(PortalScopedSnippetViewSet):
    model = DisclosureItem
    icon = "list-ul"
    menu_label = _("Danh mục thông tin phải công khai")
    list_display = ["name", "number", "created_on", "form", "portal"]
    search_fields = ["name", "number"]
    edit_handler = ObjectList(
        [FieldPanel("portal"), FieldPanel("name"), FieldPanel("number"), FieldPanel("created_on"),
         FieldPanel("form"), FieldPanel("timing"), FieldPanel("link")],
        base_form_class=PortalScopedForm,
    )


register_snippet(DisclosureItemViewSet)


@hooks.register("register_admin_urls")
def register_engagement_admin_urls():
    return [path("tuong-tac/", include((admin_urls, "engagement_admin"), namespace="engagement_admin"))]


class BoardMenuItem(MenuItem):
    """Shown to board members (and overseers) only."""

    def is_shown(self, request):
        ids = portal_ids_for_user(request.user)
        return ids is None or bool(ids)


class OverseerMenuItem(MenuItem):
    def is_shown(self, request):
        return portal_ids_for_user(request.user) is None


@hooks.register("register_admin_menu_item")
def register_engagement_menu():
    items = [
        BoardMenuItem(_("Hỏi đáp, phản ánh"), reverse("engagement_admin:questions"), icon_name="help", order=1),
        BoardMenuItem(_("Câu hỏi quá hạn"), reverse("engagement_admin:questions_overdue"), icon_name="warning", order=2),
        BoardMenuItem(_("Lấy ý kiến dự thảo"), reverse("engagement_admin:consultations"), icon_name="doc-full", order=3),
        BoardMenuItem(_("Thông báo của tổ chức"), reverse("engagement_admin:notices"), icon_name="mail", order=4),
        BoardMenuItem(_("Sổ hỗ trợ"), reverse("engagement_admin:support"), icon_name="list-ul", order=5),
        BoardMenuItem(_("Yêu cầu cung cấp thông tin"), reverse("engagement_admin:info_requests"), icon_name="form", order=6),
        OverseerMenuItem(_("Yêu cầu về dữ liệu cá nhân"), reverse("engagement_admin:personal_data"), icon_name="user", order=7),
    ]
    return SubmenuMenuItem(_("Tương tác"), Menu(items=items), icon_name="group", order=320)


@hooks.register("cong_periodic_jobs")
def engagement_jobs():
    return [
        PeriodicJob("engagement.consultations_close", 60, jobs.consultations_close),
        PeriodicJob("engagement.questions_remind", 3600, jobs.questions_remind),
        PeriodicJob("engagement.contacts_erase", 6 * 3600, jobs.contacts_erase),
    ]


@hooks.register("register_log_actions")
def register_engagement_log_actions(actions):
    actions.register_action("cong.question.publish", _("Duyệt, công khai câu trả lời"), _("Câu trả lời được công khai"))
    actions.register_action("cong.question.answer", _("Duyệt trả lời riêng"), _("Câu hỏi được trả lời riêng"))
    actions.register_action("cong.question.forward", _("Chuyển câu hỏi"), _("Câu hỏi được chuyển cổng khác"))
    actions.register_action("cong.notice.approve", _("Duyệt thông báo"), _("Thông báo được duyệt đăng"))
    actions.register_action("cong.consultation.hide_comment", _("Ẩn góp ý"), _("Góp ý bị ẩn"))
