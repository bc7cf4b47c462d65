from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cong.core.scheduler import PeriodicJob

from .audit import record
from .choices import AuditAction
from .links import blocked_links_of_page
from .selectors import can_view_audit
from .views import account, audit, cases
from .views.admin import BlockedLinkDomainViewSet


@hooks.register("register_admin_urls")
def security_admin_urls():
    return [
        path("xac-thuc-hai-lop/", account.two_factor_verify, name="security_2fa_verify"),
        path("xac-thuc-hai-lop/thiet-lap/", account.two_factor_setup, name="security_2fa_setup"),
        path("khoa-bao-mat/", account.security_keys, name="security_keys"),
        path("khoa-bao-mat/dang-ky/tuy-chon/", account.security_key_register_options,
             name="security_key_register_options"),
        path("khoa-bao-mat/dang-ky/", account.security_key_register, name="security_key_register"),
        path("khoa-bao-mat/xac-thuc/tuy-chon/", account.security_key_auth_options,
             name="security_key_auth_options"),
        path("khoa-bao-mat/xac-thuc/", account.security_key_authenticate, name="security_key_authenticate"),
        path("khoa-bao-mat/go/", account.security_key_remove, name="security_key_remove"),
        path("phien-dang-nhap/", account.sessions_list, name="security_sessions"),
        path("phien-dang-nhap/dang-xuat/", account.session_end, name="security_session_end"),
        path("nhat-ky-quan-tri/", audit.audit_view, name="security_audit"),
        path("su-co/", cases.case_index, name="security_cases"),
        path("su-co/them/", cases.case_create, name="security_case_create"),
        path("su-co/<int:pk>/", cases.case_detail, name="security_case_detail"),
    ]


@hooks.register("register_admin_viewset")
def security_viewsets():
    return [BlockedLinkDomainViewSet()]


class _AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_audit(request.user)


@hooks.register("register_reports_menu_item")
def audit_menu_item():
    return _AuditMenuItem(_l("Nhật ký quản trị"), reverse("security_audit"), icon_name="history", order=900)


@hooks.register("register_admin_menu_item")
def cases_menu_item():
    return MenuItem(_l("Sự cố, thông tin vi phạm"), reverse("security_cases"), icon_name="warning", order=820)


@hooks.register("register_account_menu_item")
def sessions_menu_item(request):
    return {"url": reverse("security_sessions"), "label": _("Phiên đăng nhập, xác thực hai lớp"),
            "help_text": _("Xem và đăng xuất các phiên; đổi ứng dụng xác thực, khóa bảo mật.")}


@hooks.register("before_publish_page")
def refuse_blocked_links(request, page):
    blocked = blocked_links_of_page(page)
    if not blocked:
        return None
    record(AuditAction.REFUSED, obj=page, request=request, message="blocked outbound links",
           changes={"hosts": sorted(blocked)})
    messages.error(request, _("Không xuất bản được: trang có liên kết tới tên miền bị chặn: %(hosts)s.")
                   % {"hosts": ", ".join(sorted(blocked))})
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("cong_periodic_jobs")
def security_jobs():
    from .audit_archive import scheduled_audit_archive
    from .backups import scheduled_backup
    from .partitions import audit_partitions_ensure
    from .tasks import throttles_prune

    return [
        PeriodicJob("security.backup", 24 * 3600, scheduled_backup),
        PeriodicJob("security.audit_partitions", 24 * 3600, audit_partitions_ensure),
        PeriodicJob("security.audit_archive", 24 * 3600, scheduled_audit_archive),
        PeriodicJob("security.throttles_prune", 3600, throttles_prune),
    ]
