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
