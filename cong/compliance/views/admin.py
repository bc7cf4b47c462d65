"""Admin screens of compliance: a check page per portal for its board, the
network table for the province board (with XLSX export), the rule list
with switches, and the registers of trust labels and maintenance notices."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList

from cong.core.errors import ApplicationError
from cong.units.forms import PortalScopedForm
from cong.units.models import Portal, Unit
from cong.units.permissions import can_access_portal, is_network_overseer, portals_for_user
from cong.units.views.admin import PortalScopedModelViewSet

from .. import rules as rules_mod
from .. import services
from ..models import MaintenanceNotice, RuleSwitch, Status, TrustLabel
from ..selectors import latest_run, network_table, run_history

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request):
    portals = portals_for_user(request.user)
    if is_network_overseer(request.user):
        return redirect("compliance_network")
    if portals.count() == 1:
        return redirect("compliance_portal", portal_id=portals.get().pk)
    if not portals.exists():
        raise PermissionDenied
    return TemplateResponse(request, "compliance/admin/home.html", {"portals": portals})


def portal_page(request, portal_id: int):
    portal = get_object_or_404(Portal.objects.select_related("unit", "site"), pk=portal_id)
    if not can_access_portal(request.user, portal):
        raise PermissionDenied
    if request.method == "POST":
        from ..tasks import check_portal

        check_portal.enqueue(portal.pk)
        messages.success(request, _("Đã yêu cầu kiểm tra; kết quả sẽ hiện khi hoàn tất."))
        return redirect("compliance_portal", portal_id=portal.pk)
    run = latest_run(portal)
    results = list(run.results.all()) if run else []
    order = {Status.FAIL: 0, Status.ERROR: 1, Status.PASS: 2, Status.NA: 3, Status.OFF: 4}
    results.sort(key=lambda r: (order.get(r.status, 9), r.severity != rules_mod.ERROR, r.rule_id))
    outside = rules_mod.outside_facts()
    for r in results:
        r.outside = outside.get(r.rule_id, "")
    return TemplateResponse(request, "compliance/admin/portal.html", {
        "portal": portal, "run": run, "results": results,
        "failed": [r for r in results if r.status == Status.FAIL],
        "history": run_history(portal),
    })


def _require_overseer(request):
    if not is_network_overseer(request.user):
        raise PermissionDenied


def network(request):
    _require_overseer(request)
    rows = network_table(Portal.objects.filter(unit__active=True))
    if request.GET.get("xlsx"):
        return _network_xlsx(rows)
    if request.method == "POST":
        from ..tasks import check_network

        check_network.enqueue()
        messages.success(request, _("Đã yêu cầu kiểm tra toàn mạng lưới."))
        return redirect("compliance_network")
    return TemplateResponse(request, "compliance/admin/network.html", {"rows": rows})


def _network_xlsx(rows) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tuan thu"
    ws.append([_("Đơn vị"), _("Tên miền"), _("Điểm"), _("Quy tắc không đạt"),
               _("Lỗi nghiêm trọng"), _("Đầy đủ"), _("Kiểm tra lúc"), _("Không đạt do nội dung"),
               _("Phụ thuộc yếu tố bên ngoài")])
    for row in rows:
        checked = row["checked_at"]
        ws.append([
            row["portal"].unit.name, row["portal"].site.hostname, row["score"], row["failed"],
            row["failed_errors"], None if row["complete"] is None else bool(row["complete"]),
            timezone.localtime(checked).strftime("%d/%m/%Y %H:%M") if checked else None,
            row["failed_content"], "; ".join(f"{o['rule_id']} ({o['fact']})" for o in row["outside"]) or None,
        ])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tuan-thu-mang-luoi.xlsx"'
    return response


def rules_page(request):
    _require_overseer(request)
    if request.method == "POST":
        rule_id = request.POST.get("rule_id", "")
        try:
            if request.POST.get("action") == "on":
                services.rule_switch_on(rule_id=rule_id)
                messages.success(request, _("Đã bật lại quy tắc."))
            else:
                services.rule_switch_off(rule_id=rule_id, reason=request.POST.get("reason", ""),
                                         user=request.user)
                messages.success(request, _("Đã tắt quy tắc."))
        except ApplicationError as exc:
            messages.error(request, str(exc))
        return redirect("compliance_rules")
    today = timezone.localdate()
    switches = dict(RuleSwitch.objects.values_list("rule_id", "reason"))
    rows = [{"rule": r, "basis": r.basis_on(today), "in_force": r.applies_on(today),
             "off_reason": switches.get(r.id)} for r in rules_mod.all_rules()]
    return TemplateResponse(request, "compliance/admin/rules.html", {"rows": rows})


class TrustLabelForm(WagtailAdminModelForm):
    """The unit choice is limited to the units whose portal the user works on."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "unit" in self.fields and for_user is not None:
            self.fields["unit"].queryset = Unit.objects.filter(portal__in=portals_for_user(for_user))


class TrustLabelViewSet(PortalScopedModelViewSet):
    model = TrustLabel
    portal_field = "unit__portal"
    name = "compliance_trustlabel"
    url_prefix = "nhan-tin-nhiem-mang"
    icon = "success"
    menu_label = gettext_lazy("Nhãn Tín nhiệm mạng")
    add_to_admin_menu = False
    list_display = ["unit", "certificate", "issuer", "issued_on", "expires_on", "domain"]
    list_filter = ["issuer"]
    search_fields = ["certificate", "unit__name"]
    edit_handler = ObjectList(TrustLabel.panels, base_form_class=TrustLabelForm)


class MaintenanceNoticeViewSet(PortalScopedModelViewSet):
    model = MaintenanceNotice
    name = "compliance_maintenance"
    url_prefix = "tam-ngung"
    icon = "warning"
    menu_label = gettext_lazy("Thông báo tạm ngừng")
    add_to_admin_menu = False
    list_display = ["portal", "starts_at", "ends_at", "announced_at", "force_majeure"]
    panels = [FieldPanel("portal"), FieldPanel("starts_at"), FieldPanel("ends_at"),
              FieldPanel("message"), FieldPanel("announced_at"), FieldPanel("force_majeure")]
    edit_handler = ObjectList(panels, base_form_class=PortalScopedForm)

