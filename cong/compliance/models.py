"""Compliance: trust labels, maintenance notices, rule switches and the
results of checks kept over time."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from cong.core.models import TimeStampedModel


class TrustLabel(TimeStampedModel):
    """A network-trust label (nhãn Tín nhiệm mạng) certificate of a unit's
    portal, issued by NCSC on tinnhiemmang.vn (legal-requirements.md §6)."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="trust_labels"
    )
    certificate = models.CharField(_("số chứng nhận"), max_length=128)
    issuer = models.CharField(_("đơn vị cấp"), max_length=128, default="NCSC")
    issued_on = models.DateField(_("ngày cấp"))
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)
    domain = models.CharField(
        _("tên miền được chứng nhận"), max_length=253, blank=True,
        help_text=_("Để trống: tên miền của cổng."),
    )
    certificate_url = models.URLField(
        _("địa chỉ trang chứng nhận"), blank=True,
        help_text=_("Trang chứng nhận trên tinnhiemmang.vn; huy hiệu ở chân trang liên kết tới đây."),
    )
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("unit"), FieldPanel("certificate"), FieldPanel("issuer"),
        FieldPanel("issued_on"), FieldPanel("expires_on"), FieldPanel("domain"),
        FieldPanel("certificate_url"),
    ]

    class Meta:
        verbose_name = _("nhãn Tín nhiệm mạng")
        verbose_name_plural = _("nhãn Tín nhiệm mạng")
        ordering = ["unit__name", "-issued_on"]
        indexes = [models.Index(fields=["unit", "issued_on", "expires_on"])]

    def __str__(self):
        return f"{self.certificate} ({self.unit})"

    def clean(self):
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("Ngày hết hạn phải sau ngày cấp.")})

    def valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


class MaintenanceNotice(TimeStampedModel):
    """A planned suspension of a portal, announced on it beforehand
    (Decree 224/2026 Art. 13: at least 7 working days, with the expected
    restoration time)."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), on_delete=models.CASCADE,
        related_name="maintenance_notices",
    )
    starts_at = models.DateTimeField(_("bắt đầu tạm ngừng"))
    ends_at = models.DateTimeField(_("dự kiến khôi phục"))
    message = models.TextField(_("nội dung thông báo"))
    announced_at = models.DateTimeField(_("thời điểm thông báo"))
    force_majeure = models.BooleanField(_("bất khả kháng"), default=False)

    panels = [
        FieldPanel("portal"), FieldPanel("starts_at"), FieldPanel("ends_at"),
        FieldPanel("message"), FieldPanel("announced_at"), FieldPanel("force_majeure"),
    ]

    class Meta:
        verbose_name = _("thông báo tạm ngừng")
        verbose_name_plural = _("thông báo tạm ngừng")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.portal} {self.starts_at:%d/%m/%Y %H:%M}"

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Thời điểm khôi phục phải sau thời điểm tạm ngừng.")})


class RuleSwitch(TimeStampedModel):
    """The province switched a rule off, with the reason recorded."""

    rule_id = models.CharField(_("mã quy tắc"), max_length=64, unique=True)
    reason = models.TextField(_("lý do"))
    switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tắt"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("quy tắc được tắt")
        verbose_name_plural = _("quy tắc được tắt")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="compliance_switch_reason"),
        ]

    def __str__(self):
        return self.rule_id


class Status(models.TextChoices):
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Không đạt")
    ERROR = "error", _("Không kiểm tra được")
    OFF = "off", _("Đã tắt")
    NA = "na", _("Không áp dụng")


class CheckRun(models.Model):
    """One check of one portal (or of an outside address), kept so that
    progress shows over time."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="compliance_runs",
    )
    url = models.URLField(_("địa chỉ kiểm tra"), blank=True)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    complete = models.BooleanField(_("đầy đủ"), default=False)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    failed_errors = models.PositiveIntegerField(
        default=0, help_text="failed rules of severity error"
    )
    score = models.FloatField(_("điểm"), default=0.0)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("lượt kiểm tra")
        verbose_name_plural = _("lượt kiểm tra")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["portal", "-started_at"])]

    def __str__(self):
        return f"{self.portal or self.url} {self.started_at:%d/%m/%Y %H:%M}"


class CheckResult(models.Model):
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="results")
    rule_id = models.CharField(max_length=64)
    title = models.CharField(max_length=255)
    basis = models.CharField(max_length=255)
    severity = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=Status.choices)
    message = models.TextField(blank=True)
    remedy = models.TextField(blank=True)
    fix_url = models.CharField(max_length=512, blank=True)

    class Meta:
        ordering = ["rule_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "rule_id"], name="compliance_result_rule_once"),
        ]

    def __str__(self):
        return f"{self.rule_id}: {self.status}"
