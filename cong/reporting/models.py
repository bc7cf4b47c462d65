from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cong.core.models import TimeStampedModel


class AnnualTarget(TimeStampedModel):
    """How many information items a unit's portal plans to publish in a year
    (e.g. 16,500 for the province portal, 3,000 for a department's), for all
    categories or, with ``category``, for one category."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveIntegerField(_("năm"), validators=[MinValueValidator(2000)])
    items = models.PositiveIntegerField(_("số thông tin kế hoạch"))
    category = models.SlugField(
        _("chuyên mục"), max_length=64, blank=True, default="",
        help_text=_("Để trống: chỉ tiêu cho mọi chuyên mục."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu năm")
        verbose_name_plural = _("chỉ tiêu năm")
        ordering = ["-year", "unit__name", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "category"], name="reporting_target_unit_year_category"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.items}"


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Báo cáo quý")
    SIX_MONTH = "six_month", _("Báo cáo 6 tháng")
    NINE_MONTH = "nine_month", _("Báo cáo 9 tháng")
    ANNUAL = "annual", _("Báo cáo năm")
    ADHOC = "adhoc", _("Báo cáo đột xuất")


class WorkPlanTask(TimeStampedModel):
    """A task of the "phương hướng, nhiệm vụ" part of a report, tracked until
    done with evidence (a link to the page, document or setting that fulfils it)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị theo dõi"), on_delete=models.CASCADE,
        related_name="work_plan_tasks",
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    responsible_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("đơn vị thực hiện"), blank=True, related_name="+",
    )
    year = models.PositiveIntegerField(_("năm"))
    due_quarter = models.PositiveSmallIntegerField(
        _("hạn (quý)"), null=True, blank=True, choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    due_date = models.DateField(_("hạn (ngày)"), null=True, blank=True)
    recurring = models.BooleanField(_("thực hiện thường xuyên"), default=False)
    starts_on = models.DateField(_("bắt đầu từ"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    evidence_url = models.CharField(_("minh chứng (liên kết)"), max_length=1000, blank=True)
    evidence_note = models.TextField(_("ghi chú minh chứng"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhiệm vụ trong kế hoạch")
        verbose_name_plural = _("phương hướng, nhiệm vụ")
        ordering = ["year", "sort_order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.status == self.Status.DONE and not (self.evidence_url or self.evidence_note):
            raise ValidationError({"evidence_url": _("Nhiệm vụ đã hoàn thành cần có minh chứng.")})

    def deadline(self):
        """The last day the task may be done on, or None when it is recurring."""
        import calendar
        import datetime as dt

        if self.due_date:
            return self.due_date
        if self.due_quarter:
            month = self.due_quarter * 3
            return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])
        return None

    def due_label(self) -> str:
        from cong.core import vn

        if self.recurring:
            if self.starts_on:
                return f"từ tháng {self.starts_on.month}/{self.starts_on.year}"
            return "thường xuyên"
        if self.due_quarter:
            return vn.quarter(self.due_quarter, self.year)
        if self.due_date:
            return vn.date(self.due_date)
        return ""

    @property
    def overdue_text(self) -> str:
        from django.utils import timezone

        return "Quá hạn" if self.is_overdue(timezone.localdate()) else ""

    def is_overdue(self, today) -> bool:
        deadline = self.deadline()
        return self.status != self.Status.DONE and deadline is not None and deadline < today


class ReportRequest(TimeStampedModel):
    """The province board asks chosen portals for a report by a deadline:
    the periodic quarterly, six-month, nine-month or annual report, or an
    ad-hoc (đột xuất) one."""

    requested_by = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị yêu cầu"), on_delete=models.CASCADE, related_name="+",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=500)
    note = models.TextField(_("nội dung yêu cầu"), blank=True)
    period_start = models.DateField(_("số liệu từ ngày (báo cáo đột xuất)"), null=True, blank=True)
    period_end = models.DateField(_("số liệu đến ngày (báo cáo đột xuất)"), null=True, blank=True)
    deadline = models.DateField(_("hạn gửi"))
    units = models.ManyToManyField("units.Unit", verbose_name=_("đơn vị được yêu cầu"), related_name="report_requests")

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["-deadline"]

    def __str__(self):
        return self.title


class ReportSubmission(TimeStampedModel):
    """A portal's report: figures computed from its own data, plus the
    board's narrative, sent up to the province board."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")

    request = models.ForeignKey(
        ReportRequest, verbose_name=_("theo yêu cầu"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="submissions",
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="report_submissions")
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    until = models.DateField(_("số liệu tính đến ngày"))
    figures = models.JSONField(_("số liệu"), default=dict)
    narrative = models.TextField(_("nội dung đánh giá, đề xuất của đơn vị"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", verbose_name=_("người gửi"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["-year", "-quarter", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "quarter", "request"],
                name="reporting_submission_unique_period",
            )
        ]

    def __str__(self):
        return f"{self.unit} – {self.get_kind_display()} {self.year}"


class ReportTemplate(TimeStampedModel):
    """A DOCX template (docxtpl) the province uses instead of the built-in one."""

    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices, unique=True)
    file = models.FileField(_("tệp mẫu DOCX"), upload_to="reporting/templates/")
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

    def __str__(self):
        return self.get_kind_display()
