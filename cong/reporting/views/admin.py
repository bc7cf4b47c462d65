"""Admin screens of reporting: write and download a report, send it up,
and (for the province board) requests, who is late, the network table."""

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
from wagtail.admin.ui.tables import Column

from cong.core.errors import ApplicationError
from cong.units.models import Unit
from cong.units.services import province_portal
from cong.units.views.admin import PortalScopedModelViewSet

from .. import services
from ..documents import docx_to_pdf, render_docx, render_json, report_context, validate_template
from ..figures import report_figures
from ..forms import ReportForm, ReportRequestForm, SubmissionForm, TemplateUploadForm
from ..models import ReportKind, ReportRequest, ReportSubmission, ReportTemplate, WorkPlanTask
from ..network import network_table
from ..periods import period_for
from ..permissions import can_oversee_reports, can_report_for, units_reportable_by
from ..selectors import request_status

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _file(data: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _render(figures: dict, fmt: str, kind: str, narrative: str = "") -> bytes:
    if fmt == "json":
        return render_json(figures)
    data = render_docx(report_context(figures, narrative=narrative), kind=kind)
    return docx_to_pdf(data) if fmt == "pdf" else data


def reports_home(request):
    units = units_reportable_by(request.user)
    if not units.exists() and not can_oversee_reports(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            period = period_for(kind=d["kind"], year=d["year"], quarter=d["quarter"], until=d["until"],
                                today=timezone.localdate())
            figures = report_figures(unit=d["unit"], period=period)
            data = _render(figures, d["output"], d["kind"])
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _file(data, f"bao-cao-{d['unit'].code}-{d['year']}", d["output"])
    today = timezone.localdate()
    requests = (
        ReportRequest.objects.filter(units__in=units).distinct().order_by("-deadline")[:20]
    )
    rows = []
    for req in requests:
        for row in request_status(request=req, today=today):
            if row["unit"] in units:
                rows.append({"request": req, **row})
    return TemplateResponse(request, "reporting/admin/home.html", {
        "form": form, "request_rows": rows, "can_oversee": can_oversee_reports(request.user),
        "drafts": ReportSubmission.objects.filter(unit__in=units).select_related("unit", "request")[:20],
    })


def submission_start(request, request_id, unit_id):
    req = get_object_or_404(ReportRequest, pk=request_id)
    unit = get_object_or_404(Unit, pk=unit_id, report_requests=req)
    if not can_report_for(request.user, unit):
        raise PermissionDenied
    try:
        submission = services.submission_prepare(
            unit=unit, kind=req.kind, year=req.year, quarter=req.quarter, request=req, actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("reporting_home")
    return redirect("reporting_submission", submission.pk)


def submission_edit(request, pk):
    submission = get_object_or_404(ReportSubmission.objects.select_related("unit", "request"), pk=pk)
    if not (can_report_for(request.user, submission.unit) or can_oversee_reports(request.user)):
        raise PermissionDenied
    form = SubmissionForm(request.POST or None, initial={"narrative": submission.narrative})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        narrative = form.cleaned_data["narrative"]
        if not can_report_for(request.user, submission.unit):
            raise PermissionDenied
        if action in ("docx", "pdf"):
            try:
                data = _render(submission.figures, action, submission.kind, narrative)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                return _file(data, f"bao-cao-{submission.unit.code}-{submission.year}", action)
        elif action == "submit":
            try:
                services.submission_submit(submission=submission, narrative=narrative, actor=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã gửi báo cáo lên Ban Biên tập Cổng tỉnh."))
                return redirect("reporting_home")
        elif submission.status == ReportSubmission.Status.DRAFT:
            submission.narrative = narrative
            submission.save(update_fields=["narrative", "updated_at"])
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect("reporting_submission", submission.pk)
    return TemplateResponse(request, "reporting/admin/submission.html", {
        "submission": submission, "form": form, "figures": submission.figures,
    })


def network_overview(request):
    if not can_oversee_reports(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    province = province_portal()
    children = Unit.objects.filter(portal__isnull=False, active=True).exclude(
        pk=province.unit_id if province else None
    ).order_by("unit_type", "name")
    form = ReportRequestForm(request.POST or None, units=children)
    if request.method == "POST" and form.is_valid() and province is not None:
        d = form.cleaned_data
        try:
            services.report_request_create(
                requested_by=province.unit, kind=d["kind"], year=d["year"], quarter=d["quarter"],
                title=d["title"], deadline=d["deadline"], units=d["units"], note=d["note"],
                period_start=d["period_start"], period_end=d["period_end"], actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã gửi yêu cầu báo cáo."))
            return redirect("reporting_network")
    requests = [
        {"request": r, "rows": request_status(request=r, today=today)}
        for r in ReportRequest.objects.order_by("-deadline")[:10]
    ]
    table = network_table(year=today.year, today=today)
    if request.GET.get("xlsx"):
        return _network_xlsx(table)
    return TemplateResponse(request, "reporting/admin/network.html", {
        "form": form, "requests": requests, "table": table, "year": today.year,
    })


def _network_xlsx(table) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Mạng lưới cổng"
    ws.append([str(c["label"]) for c in table["columns"]])
    for row in table["rows"]:
        ws.append([row["cells"][c["key"]] for c in table["columns"]])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mang-luoi-cong.xlsx"'
    return response


def template_upload(request):
    if not can_oversee_reports(request.user):
        raise PermissionDenied
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        try:
            validate_template(data, _sample_context(kind))
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            from django.core.files.base import ContentFile

            template, _created = ReportTemplate.objects.get_or_create(kind=kind, defaults={"file": ContentFile(b"")})
            template.file.save(f"mau-{kind}.docx", ContentFile(data), save=False)
            template.note = form.cleaned_data["note"]
            template.save()
            messages.success(request, _("Đã thay mẫu báo cáo."))
            return redirect("reporting_templates")
    return TemplateResponse(request, "reporting/admin/templates.html", {
        "form": form, "templates": ReportTemplate.objects.all(),
    })


def _sample_context(kind: str) -> dict:
    """A real context (the province's own figures) to try a template with."""
    province = province_portal()
    today = timezone.localdate()
    if province is None:
        raise ApplicationError("Chưa có cổng tỉnh để thử mẫu.", field="file")
    quarter = (today.month - 1) // 3 + 1
    period = period_for(kind=ReportKind.QUARTERLY, year=today.year, quarter=quarter, today=today)
    return report_context(report_figures(unit=province.unit, period=period, today=today))


class UnitScopedForm(WagtailAdminModelForm):
    """Rows owned by a unit: the choice is limited to the units the user reports for."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "unit" in self.fields:
            self.fields["unit"].queryset = units_reportable_by(for_user)


class WorkPlanTaskViewSet(PortalScopedModelViewSet):
    model = WorkPlanTask
    portal_field = "unit__portal"
    name = "reporting_workplan"
    url_prefix = "phuong-huong-nhiem-vu"
    icon = "list-ul"
    menu_label = gettext_lazy("Phương hướng, nhiệm vụ")
    add_to_admin_menu = True
    menu_order = 821
    list_display = ["title", "unit", "year", Column("due", label=gettext_lazy("Thời hạn"), accessor="due_label"),
                    "status", Column("overdue", label=gettext_lazy("Quá hạn"), accessor="overdue_text")]
    list_filter = ["status", "year"]
    panels = [
        FieldPanel("unit"), FieldPanel("title"), FieldPanel("legal_basis"), FieldPanel("responsible_units"),
        FieldPanel("year"), FieldPanel("due_quarter"), FieldPanel("due_date"), FieldPanel("recurring"),
        FieldPanel("starts_on"), FieldPanel("status"), FieldPanel("evidence_url"), FieldPanel("evidence_note"),
        FieldPanel("completed_on"), FieldPanel("sort_order"),
    ]
    edit_handler = ObjectList(panels, base_form_class=UnitScopedForm)
