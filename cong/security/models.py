"""Security records: the append-only audit log, second factors, sign-in
throttles, staff sessions, incident and violating-information cases, and the
province's blocklist of outbound link targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, CaseAction, CaseKind, CaseStatus


class AuditEvent(models.Model):
    """One administrative action. Rows are never changed or deleted: database
    triggers refuse UPDATE and DELETE (migration 0002). On PostgreSQL the
    table is partitioned by month of ``at``; old months are detached whole."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    action = models.CharField(_("thao tác"), max_length=32, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+",
    )
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    message = models.CharField(_("nội dung"), max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký quản trị")
        verbose_name_plural = _("nhật ký quản trị")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["at", "id"], name="security_audit_at_id"),
            models.Index(fields=["actor", "at"], name="security_audit_actor_at"),
            models.Index(fields=["action", "at"], name="security_audit_action_at"),
            models.Index(fields=["portal", "at"], name="security_audit_portal_at"),
            models.Index(fields=["object_type", "object_id"], name="security_audit_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"


class TOTPDevice(models.Model):
    """A staff member's authenticator app (RFC 6238, through pyotp)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The last accepted time step: a code is never accepted twice.
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = _("ứng dụng xác thực")

    def __str__(self):
        return str(self.user)


class SecurityKey(models.Model):
    """A staff member's WebAuthn security key (FIDO2), a second factor beside
    the authenticator app. A user may have several, each with a name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_keys"
    )
    name = models.CharField(_("tên khóa"), max_length=64)
    # base64url of the credential id the authenticator gave
    credential_id = models.CharField(max_length=1400, unique=True)
    # COSE_Key bytes of the credential's public key
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    aaguid = models.CharField(max_length=36, blank=True)
    transports = models.JSONField(default=list, blank=True)
    rp_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dùng gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa bảo mật")
        verbose_name_plural = _("khóa bảo mật")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="security_key_user_name"),
        ]

    def __str__(self):
        return f"{self.user} {self.name}"


class AuditArchive(models.Model):
    """One month of the audit log moved out of the live table into a
    compressed, checksummed file (``cong.security.audit_archive``). Rows are
    never changed or deleted (triggers, migration 0004); the live table's
    triggers let the archive job remove only rows an archive covers."""

    start = models.DateTimeField(_("từ"))
    end = models.DateTimeField(_("đến"))
    file_name = models.CharField(_("tệp"), max_length=255, unique=True)
    rows = models.BigIntegerField(_("số bản ghi"))
    first_id = models.BigIntegerField(null=True)
    last_id = models.BigIntegerField(null=True)
    size = models.BigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kho lưu nhật ký")
        verbose_name_plural = _("kho lưu nhật ký")
        ordering = ["-start"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["start"], name="security_auditarchive_start")]

    def __str__(self):
        return self.file_name


class LoginThrottle(models.Model):
    """Failed sign-ins counted under one key: an (account, client) pair, a
    client, or an account across every client. Keys are hashed."""

    key = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=16)
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    lockouts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("đếm đăng nhập thất bại")
        verbose_name_plural = _("đếm đăng nhập thất bại")

    def __str__(self):
        return f"{self.scope}:{self.key[:8]}"


class UserSession(models.Model):
    """A staff member's signed-in session, listed so that it can be ended."""

    session_key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_sessions"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} {self.ip}"


class Case(models.Model):
    """An incident or a report of violating or false information on a portal.

    received → assessed → action (take down, correct, keep with reason) → closed.
    """

    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), on_delete=models.PROTECT, related_name="security_cases"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=CaseKind.choices)
    from_public = models.BooleanField(_("do người dân phản ánh"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    description = models.TextField(_("nội dung"))
    url = models.CharField(_("địa chỉ liên quan"), max_length=1000, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("trang liên quan"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reporter_name = models.CharField(_("họ tên người phản ánh"), max_length=255, blank=True)
    reporter_email = models.EmailField(_("thư điện tử"), blank=True)
    reporter_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    due_on = models.DateField(_("hạn xử lý"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chịu trách nhiệm"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="security_cases",
    )
    assessment = models.TextField(_("đánh giá"), blank=True)
    assessed_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)
    action = models.CharField(_("biện pháp"), max_length=12, choices=CaseAction.choices, blank=True)
    action_reason = models.TextField(_("lý do, nội dung xử lý"), blank=True)
    acted_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)
    correction_due_on = models.DateField(_("hạn đính chính"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("thời điểm đính chính"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm đóng"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự cố, thông tin vi phạm")
        verbose_name_plural = _("sự cố, thông tin vi phạm")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["portal", "status", "due_on"], name="security_case_due")]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        if self.status == CaseStatus.CLOSED:
            return False
        return timezone.localdate() > self.due_on


class BlockedLinkDomain(models.Model):
    """A host name outbound links in content may not point to (maintained by
    the province); its subdomains are blocked too."""

    domain = models.CharField(_("tên miền"), max_length=255, unique=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tên miền bị chặn")
        verbose_name_plural = _("tên miền bị chặn")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)
