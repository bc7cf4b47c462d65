from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    QUESTION = "question", _("Hỏi đáp")
    PETITION = "petition", _("Phản ánh, kiến nghị")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin")
    PHONE = "phone", _("Điện thoại")
    LETTER = "letter", _("Thư, văn bản")
    EMAIL = "email", _("Thư điện tử")


class QuestionStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao đơn vị xử lý")
    DRAFTED = "drafted", _("Đã có dự thảo trả lời")
    PUBLISHED = "published", _("Đã trả lời")
    ANSWERED_PRIVATELY = "answered_privately", _("Đã trả lời riêng")
    REJECTED = "rejected", _("Không thụ lý")


class Classification(models.TextChoices):
    """Decree 20/2008 Art. 9: what the receiving agency does with it."""

    OWN = "own", _("Thuộc thẩm quyền")
    OUT_OF_COMPETENCE = "out_of_competence", _("Không thuộc thẩm quyền, chuyển cơ quan có thẩm quyền")
    CONDUCT = "conduct", _("Khiếu nại, tố cáo về hành vi, chuyển cơ quan có thẩm quyền")
    INCOMPLETE = "incomplete", _("Không đủ điều kiện tiếp nhận")


class SupportType(models.TextChoices):
    """The ``type`` of a support_case record (docs/import-format.md)."""

    CONSULTATION = "consultation", _("Hỗ trợ lấy ý kiến dự thảo")
    ANNOUNCEMENT = "announcement", _("Đăng thông báo của tổ chức")
    EVENT_PROMOTION = "event_promotion", _("Quảng bá sự kiện của tỉnh bạn")
    PHONE = "phone", _("Tư vấn qua điện thoại")
    OTHER = "other", _("Hỗ trợ khác")


class NoticeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Từ chối")


class NoticeCategory(models.TextChoices):
    ENROLMENT = "enrolment", _("Tuyển sinh")
    JOBS = "jobs", _("Tuyển dụng")
    RESULTS = "results", _("Kết quả xét tuyển, thi tuyển")
    AUCTION = "auction", _("Đấu giá tài sản")
    LICENCE = "licence", _("Giấy phép, đăng ký kinh doanh")
    OTHER = "other", _("Thông báo khác")


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp thu")
    EXPLAINED = "explained", _("Giải trình")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp thu")


class InfoRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    ACCEPTED = "accepted", _("Đã thụ lý")
    PROVIDED = "provided", _("Đã cung cấp thông tin")
    REFUSED = "refused", _("Từ chối cung cấp")
