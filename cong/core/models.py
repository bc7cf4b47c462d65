from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class ImportedRecord(models.Model):
    """The identity of a record that came in through ``import_records``.

    ``(kind, source_id)`` is the record's identity in the source system; the
    row points at the object it became, and keeps a digest of the record as
    last imported so that a re-import can tell unchanged from updated.
    """

    kind = models.CharField(_("loại bản ghi"), max_length=32)
    source_id = models.CharField(_("mã nguồn"), max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản ghi đã nhập")
        verbose_name_plural = _("bản ghi đã nhập")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_id"], name="core_importedrecord_kind_id"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.kind}:{self.source_id}"


class CacheVersion(models.Model):
    """A version counter per cache scope; see cong.core.cache_version."""

    scope = models.CharField(max_length=32, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản bộ đệm")
        verbose_name_plural = _("phiên bản bộ đệm")

    def __str__(self):
        return f"{self.scope}={self.value}"


class CalendarDay(models.Model):
    """A day the province declares off, or a weekend day it declares worked
    (on top of the national calendar; see cong.core.calendar)."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Ngày nghỉ")
        WORKING_DAY = "work", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("lý do"), max_length=255)
    decision = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù của tỉnh")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm bù của tỉnh")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.name}"

    def save(self, *args, **kwargs):
        from cong.core.calendar import calendar_changed

        super().save(*args, **kwargs)
        calendar_changed()

    def delete(self, *args, **kwargs):
        from cong.core.calendar import calendar_changed

        result = super().delete(*args, **kwargs)
        calendar_changed()
        return result


class Lease(models.Model):
    """A named lease held by one process until it expires (cong.core.scheduler)."""

    name = models.CharField(max_length=128, primary_key=True)
    holder = models.CharField(max_length=255, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("khóa thời hạn")
        verbose_name_plural = _("khóa thời hạn")

    def __str__(self):
        return f"{self.name} ({self.holder})"
