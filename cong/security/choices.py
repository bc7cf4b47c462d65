from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    LOCKOUT = "lockout", _("Tạm khóa đăng nhập")
    TWO_FACTOR = "two_factor", _("Xác thực hai lớp")
    SESSION_REVOKED = "session_revoked", _("Chấm dứt phiên")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Vô hiệu hóa tài khoản")
    PERMISSION_CHANGE = "permission_change", _("Thay đổi quyền")
    PUBLISH = "publish", _("Xuất bản")
    UNPUBLISH = "unpublish", _("Gỡ xuất bản")
    DELETE = "delete", _("Xóa")
    SETTING_CHANGE = "setting_change", _("Thay đổi cấu hình")
    PERSONAL_DATA_VIEW = "personal_data_view", _("Xem dữ liệu cá nhân")
    EXPORT = "export", _("Xuất dữ liệu")
    ADMIN_ACTION = "admin_action", _("Thao tác quản trị")
    INCIDENT = "incident", _("Sự cố, thông tin vi phạm")
    TAKEDOWN = "takedown", _("Gỡ bỏ thông tin")
    BACKUP = "backup", _("Sao lưu, phục hồi")
    AUDIT_ARCHIVE = "audit_archive", _("Lưu trữ nhật ký")
    REFUSED = "refused", _("Yêu cầu bị từ chối")


class CaseKind(models.TextChoices):
    VIOLATION = "violation", _("Thông tin vi phạm pháp luật")
    FALSE_INFO = "false_info", _("Thông tin sai sự thật")
    DEFACEMENT = "defacement", _("Thay đổi giao diện trái phép")
    OUTAGE = "outage", _("Gián đoạn dịch vụ")
    DATA_EXPOSURE = "data_exposure", _("Lộ lọt dữ liệu")
    OTHER = "other", _("Sự cố khác")


PUBLIC_CASE_KINDS = (CaseKind.VIOLATION, CaseKind.FALSE_INFO)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSESSED = "assessed", _("Đã đánh giá")
    ACTION = "action", _("Đã xử lý")
    CLOSED = "closed", _("Đã đóng")


class CaseAction(models.TextChoices):
    TAKEDOWN = "takedown", _("Gỡ bỏ")
    CORRECT = "correct", _("Đính chính")
    KEEP = "keep", _("Giữ nguyên (có lý do)")
