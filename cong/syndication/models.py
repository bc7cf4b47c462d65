"""Channels, the outbox, the posts that exist on channels and the audit of attempts.

The outbox follows docs/anchors.md §2.10: one row per (item revision × channel
× action), written in the transaction that publishes, with a fixed
idempotency key; workers claim rows with a lease; a post whose outcome is not
known is settled by listing the channel, never by posting again.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField


class ChannelKind(models.TextChoices):
    ZALO = "zalo", _("Zalo OA")
    FACEBOOK = "facebook", _("Trang Facebook")


class Channel(models.Model):
    """A portal's account on one social channel. Secrets are encrypted at rest."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), on_delete=models.CASCADE, related_name="channels",
    )
    kind = models.CharField(_("kênh"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("tên tài khoản"), max_length=255, blank=True)
    enabled = models.BooleanField(_("đang dùng"), default=True)
    dry_run = models.BooleanField(
        _("chạy thử (không đăng thật)"), default=True,
        help_text=_("Khi bật, bài chỉ được ghi nhận, không gửi lên kênh."),
    )
    # Facebook: the Page id; Zalo: the OA id (informative).
    account_id = models.CharField(_("mã trang / mã OA"), max_length=64, blank=True)
    app_id = models.CharField(_("mã ứng dụng (App ID)"), max_length=64, blank=True)
    app_secret = EncryptedTextField(_("khóa bí mật ứng dụng"), blank=True, default="")
    access_token = EncryptedTextField(_("mã truy cập"), blank=True, default="")
    refresh_token = EncryptedTextField(_("mã làm mới"), blank=True, default="")
    access_token_expires_at = models.DateTimeField(_("mã truy cập hết hạn lúc"), null=True, blank=True)
    tokens_updated_at = models.DateTimeField(_("cập nhật mã lúc"), null=True, blank=True)
    last_check_at = models.DateTimeField(_("kiểm tra kết nối lúc"), null=True, blank=True)
    last_check_ok = models.BooleanField(_("kết nối được"), null=True, blank=True)
    last_check_message = models.CharField(_("kết quả kiểm tra"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("kênh lan tỏa")
        verbose_name_plural = _("kênh lan tỏa")
        constraints = [
            models.UniqueConstraint(fields=["portal", "kind"], name="syndication_channel_portal_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.name or self.account_id or self.portal}"

    def missing_credentials(self) -> str:
        """Why the channel cannot post, in Vietnamese; empty when it can."""
        if self.kind == ChannelKind.FACEBOOK:
            if not self.account_id:
                return _("Chưa khai báo mã Trang Facebook.")
            if not self.access_token:
                return _("Chưa khai báo mã truy cập Trang Facebook.")
        else:
            if not self.app_id or not self.app_secret:
                return _("Chưa khai báo mã ứng dụng hoặc khóa bí mật của ứng dụng Zalo.")
            if not self.access_token and not self.refresh_token:
                return _("Chưa khai báo mã truy cập và mã làm mới của Zalo OA.")
        return ""


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Lỗi")
    UNKNOWN = "unknown", _("Chưa rõ kết quả")


class OutboxAction(models.TextChoices):
    PUBLISH = "publish", _("Đăng / cập nhật")
    REMOVE = "remove", _("Gỡ bài")


class Operation(models.TextChoices):
    NONE = "", _("Không")
    CREATE = "create", _("Đăng mới")
    UPDATE = "update", _("Cập nhật")
    REMOVE = "remove", _("Gỡ")
    DRY_RUN = "dry_run", _("Chạy thử")


def idempotency_key(item_id: int, revision_id: int | None, kind: str, action: str) -> str:
    raw = f"item:{item_id}:rev:{revision_id or 0}:channel:{kind}:{action}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


class OutboxPost(models.Model):
    """One thing to do on one channel for one item revision."""

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), on_delete=models.CASCADE, related_name="outbox_posts",
    )
    # Kept when the item is deleted: the removal of its posts still has to run.
    item = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("thông tin"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="outbox_posts",
    )
    item_title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("phiên bản"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    channel_kind = models.CharField(_("kênh"), max_length=16, choices=ChannelKind.choices)
    action = models.CharField(_("việc"), max_length=16, choices=OutboxAction.choices)
    idempotency_key = models.CharField(_("khóa chống trùng"), max_length=40, unique=True)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING,
        db_index=True,
    )
    operation = models.CharField(_("đã làm"), max_length=16, choices=Operation.choices, blank=True, default="")
    canonical_url = models.URLField(_("địa chỉ bài trên cổng"), max_length=1024)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), db_index=True)
    lease_holder = models.CharField(max_length=255, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    unknown_since = models.DateTimeField(null=True, blank=True)
    # Zalo: the token article/create returned (the article exists once it is set).
    zalo_token = models.CharField(max_length=255, blank=True)
    external_id = models.CharField(_("mã bài trên kênh"), max_length=255, blank=True)
    external_url = models.URLField(_("địa chỉ bài trên kênh"), max_length=1024, blank=True)
    error = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("bài chờ lan tỏa")
        verbose_name_plural = _("hàng đợi lan tỏa")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["item", "channel_kind", "state"])]

    def __str__(self):
        return f"{self.get_channel_kind_display()}: {self.item_title} ({self.get_state_display()})"


class ChannelPost(models.Model):
    """An item's post as it exists on a channel (one per item and channel)."""

    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("thông tin"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="channel_posts",
    )
    channel_kind = models.CharField(_("kênh"), max_length=16, choices=ChannelKind.choices)
    external_id = models.CharField(_("mã bài trên kênh"), max_length=255)
    external_url = models.URLField(_("địa chỉ bài trên kênh"), max_length=1024, blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    removed_at = models.DateTimeField(_("đã gỡ lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("đăng lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bài trên mạng xã hội")
        verbose_name_plural = _("bài trên mạng xã hội")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "channel_kind"], condition=models.Q(removed_at__isnull=True),
                name="syndication_channelpost_one_live",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_kind_display()}: {self.external_id}"


class Attempt(models.Model):
    """The audit of every call made for an outbox row."""

    post = models.ForeignKey(OutboxPost, on_delete=models.CASCADE, related_name="attempt_log")
    step = models.CharField(_("bước"), max_length=32)
    worker = models.CharField(_("tiến trình"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    outcome = models.CharField(_("kết quả"), max_length=32)
    http_status = models.PositiveIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    message = models.TextField(_("ghi chú"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("lần gửi")
        verbose_name_plural = _("nhật ký gửi")
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.step}: {self.outcome}"


class Share(models.Model):
    """An item spread on a channel before Cổng: the imported ``share`` record."""

    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("thông tin"), on_delete=models.CASCADE, related_name="shares",
    )
    channel_kind = models.CharField(_("kênh"), max_length=16, choices=ChannelKind.choices)
    shared_at = models.DateTimeField(_("lan tỏa lúc"), db_index=True)
    external_url = models.URLField(_("địa chỉ bài trên kênh"), max_length=1024, blank=True)

    class Meta:
        verbose_name = _("lượt lan tỏa đã nhập")
        verbose_name_plural = _("lượt lan tỏa đã nhập")

    def __str__(self):
        return f"{self.get_channel_kind_display()}: {self.item_id} ({self.shared_at:%d/%m/%Y})"


def _register_scoped():
    from cong.units.permissions import register_portal_scoped

    for model in (Channel, OutboxPost, ChannelPost, Share):
        register_portal_scoped(model)
    register_portal_scoped(Attempt, "post__portal")


_register_scoped()
