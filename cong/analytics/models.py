"""Traffic: raw events (append-only, pruned), their rollups, imported history.

Nothing personal is stored: a visitor is a hash of (daily salt, portal, IP,
user agent) whose salt is a random value kept for two days and then deleted,
so a hash can be neither reversed nor linked across days. No IP address, no
user agent string, no cookie. Referrers are kept as a host name only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cong.core.models import TimeStampedModel


class DeviceClass(models.TextChoices):
    DESKTOP = "desktop", _("Máy tính")
    MOBILE = "mobile", _("Điện thoại")
    TABLET = "tablet", _("Máy tính bảng")


class EventKind(models.TextChoices):
    PAGEVIEW = "p", _("Lượt xem trang")
    HEARTBEAT = "h", _("Thời gian xem")


class Event(models.Model):
    """One accepted beacon. Append-only; rows older than the retention
    setting are deleted by the prune job once their day is rolled up."""

    id = models.BigAutoField(primary_key=True)
    portal_id = models.IntegerField()
    day = models.DateField()  # local (Asia/Ho_Chi_Minh) day of ``ts``
    ts = models.DateTimeField()  # server time of receipt
    kind = models.CharField(max_length=1, choices=EventKind.choices)
    visitor = models.CharField(max_length=16)
    pageview = models.CharField(max_length=16)  # the page-load id the script draws
    path = models.CharField(max_length=512, blank=True)
    referrer = models.CharField(max_length=255, blank=True)
    device = models.CharField(max_length=8, choices=DeviceClass.choices, blank=True)
    engaged = models.PositiveIntegerField(default=0)  # seconds visible, as reported

    class Meta:
        indexes = [
            models.Index(fields=["day", "portal_id", "visitor", "ts"], name="analytics_event_day"),
            models.Index(fields=["portal_id", "ts"], name="analytics_event_recent"),
            models.Index(fields=["ts"], name="analytics_event_ts"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.portal_id} {self.ts:%Y-%m-%d %H:%M:%S} {self.path}"


class DailySalt(models.Model):
    """The random salt of one local day; deleted when the day is over."""

    day = models.DateField(unique=True)
    value = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt {self.day}"


class CollectorCount(models.Model):
    """What the collector did with beacons, per day: accepted, dropped under
    overload, refused as malformed or oversized, ignored (bots, staff, Do Not
    Track, unknown host)."""

    day = models.DateField()
    name = models.CharField(max_length=16)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "name"], name="analytics_count_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}: {self.count}"


class RollupState(models.Model):
    """The last event id the rollup has seen (one row)."""

    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    last_started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"


class _Figures(models.Model):
    visits = models.PositiveIntegerField(default=0)
    pageviews = models.PositiveIntegerField(default=0)
    visit_seconds = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class PortalDay(_Figures):
    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    visitors = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0)  # visits of one pageview

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "date"], name="analytics_portalday_unique")]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.date}: {self.visits}"


class PortalHour(_Figures):
    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    hour = models.PositiveSmallIntegerField()  # 0..23, local time

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "date", "hour"], name="analytics_portalhour_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.date} {self.hour}h: {self.visits}"


class PageDay(models.Model):
    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    path = models.CharField(max_length=512)
    pageviews = models.PositiveIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)  # visits that started here
    engaged_seconds = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["portal", "date"], name="analytics_pageday_pd")]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.date} {self.path}: {self.pageviews}"


class PageHour(models.Model):
    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    hour = models.PositiveSmallIntegerField()
    path = models.CharField(max_length=512)
    pageviews = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["portal", "date"], name="analytics_pagehour_pd")]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.date} {self.hour}h {self.path}: {self.pageviews}"


class ReferrerDay(models.Model):
    """Visits by the host that sent them ('' = direct or unknown)."""

    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    host = models.CharField(max_length=255, blank=True)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["portal", "date"], name="analytics_refday_pd")]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.date} {self.host}: {self.visits}"


class DeviceDay(models.Model):
    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    device = models.CharField(max_length=8, choices=DeviceClass.choices)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["portal", "date"], name="analytics_deviceday_pd")]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.date} {self.device}: {self.visits}"


class ImportedDay(_Figures, TimeStampedModel):
    """A day of traffic from before tracking (record kind ``visits_daily``).
    For its unit and date it replaces the portal's own tracking."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("ngày"))
    source_id = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("số liệu truy cập nhập từ cổng cũ")
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="analytics_importedday_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.date}: {self.visits}"
