"""Citizens and organisations: questions and petitions, consultations on
drafts, organisations' notices, the support log and access to information.

Every row belongs to one portal (or, for the support log, one unit); the admin
screens show a board only its own portal's rows. Personal data (name and
contact details) live on the request rows only, are shown to board members
through ``PersonalDataAccess``-logged views, and are blanked after the
retention period (``contact_erased_at``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from cong.core.models import TimeStampedModel

from .choices import (
    Channel,
    Classification,
    Disposition,
    InfoRequestStatus,
    NoticeCategory,
    NoticeStatus,
    QuestionKind,
    QuestionStatus,
    SupportType,
)


class ContactMixin(models.Model):
    """A sender's identity and contact details, with the consent given."""

    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    consent_text = models.TextField(_("nội dung đồng ý"), blank=True)
    consent_at = models.DateTimeField(_("đồng ý lúc"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("đã xóa dữ liệu cá nhân lúc"), null=True, blank=True)

    class Meta:
        abstract = True

    def erase_contact(self) -> None:
        self.name = ""
        self.address = ""
        self.phone = ""
        self.email = ""
        self.contact_erased_at = timezone.now()


class Question(index.Indexed, ContactMixin, TimeStampedModel):
    portal = models.ForeignKey(
        "units.Portal", verbose_name=_("cổng"), on_delete=models.PROTECT, related_name="questions"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=QuestionKind.choices,
                            default=QuestionKind.QUESTION)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=Channel.choices,
                               default=Channel.WEB)
    tracking_code = models.CharField(_("mã tra cứu"), max_length=16, unique=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    topic = models.CharField(_("chủ đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    publish_consent = models.BooleanField(_("đồng ý công khai câu hỏi"), default=False)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), default=timezone.now)
    status = models.CharField(_("trạng thái"), max_length=20, choices=QuestionStatus.choices,
                              default=QuestionStatus.RECEIVED)
    classification = models.CharField(_("phân loại"), max_length=20,
                                      choices=Classification.choices, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="assigned_questions",
    )
    due_on = models.DateField(_("hạn trả lời"))
    forward_due_on = models.DateField(_("hạn chuyển"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người soạn trả lời"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo duyệt"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    closed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    public_question = models.TextField(_("câu hỏi công khai"), blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    search_folded = models.TextField(blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_total = models.PositiveIntegerField(default=0, editable=False)

    # The answer library: only published answers are indexed, by their
    # folded text (diacritics optional), through the project's search backend.
    # Not on every save: a citizen's question (tens a second at peak) is not
    # in the library until it is published, so the handlers below send only
    # published answers, and answers leaving the library, to the index task.
    search_auto_update = False
    search_fields = [
        index.SearchField("search_folded"),
        index.FilterField("portal"),
        index.FilterField("status"),
        index.FilterField("published_at"),
    ]

    class Meta:
        verbose_name = _("câu hỏi, phản ánh")
        verbose_name_plural = _("Hỏi đáp, phản ánh, kiến nghị")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["portal", "status", "due_on"]),
            models.Index(fields=["portal", "-published_at"], condition=Q(published_at__isnull=False),
                         name="eng_question_library"),
        ]

    def __str__(self):
        return f"{self.tracking_code} — {self.topic}"

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(status=QuestionStatus.PUBLISHED)

    def in_library_index(self) -> bool:
        """Whether the search index may hold this question: published now,
        or published once (``published_at`` stays)."""
        return self.status == QuestionStatus.PUBLISHED or self.published_at is not None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def rating_average(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None


class QuestionEvent(models.Model):
    """The history of a question: every step, including forwarding between portals."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32)
    from_portal = models.ForeignKey("units.Portal", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    to_portal = models.ForeignKey("units.Portal", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class QuestionRating(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField()
    client = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "client"], name="eng_rating_once"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.score}"


class PersonalDataAccess(models.Model):
    """Every time a staff member sees a sender's personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    portal = models.ForeignKey("units.Portal", on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("Nhật ký xem dữ liệu cá nhân")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.object_type}#{self.object_id} {self.at:%Y-%m-%d %H:%M}"


# --- Consultations on drafts ------------------------------------------------------


class Consultation(TimeStampedModel):
    portal = models.ForeignKey("units.Portal", verbose_name=_("cổng"), on_delete=models.PROTECT,
                               related_name="consultations")
    title = models.CharField(_("tên dự thảo"), max_length=500)
    doc_type = models.CharField(_("loại văn bản"), max_length=32)
    drafting_agency = models.CharField(_("cơ quan chủ trì soạn thảo"), max_length=255)
    drafting_agency_email = models.EmailField(_("thư điện tử nhận góp ý"), blank=True)
    body = models.TextField(_("toàn văn dự thảo"))
    opens_at = models.DateTimeField(_("bắt đầu lấy ý kiến"))
    closes_at = models.DateTimeField(_("kết thúc lấy ý kiến"))
    closed_at = models.DateTimeField(_("đã đóng lúc"), null=True, blank=True)
    support_case = models.OneToOneField("SupportCase", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="consultation")

    class Meta:
        verbose_name = _("dự thảo lấy ý kiến")
        verbose_name_plural = _("Lấy ý kiến dự thảo")
        ordering = ["-opens_at"]

    def __str__(self):
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at


class ConsultationArticle(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="articles")
    number = models.PositiveIntegerField(_("điều số"))
    title = models.CharField(_("tên điều"), max_length=500, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="eng_article_unique"),
        ]

    def __str__(self):
        return f"Điều {self.number}. {self.title}".strip()


class ConsultationFile(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="engagement/consultations/%Y/%m/")

    def __str__(self):
        return self.title


class ConsultationComment(ContactMixin, models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="comments")
    article = models.ForeignKey(ConsultationArticle, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="comments")
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    organisation = models.CharField(_("cơ quan, tổ chức"), max_length=255, blank=True)
    body = models.TextField(_("nội dung góp ý"))
    submitted_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(_("ẩn lúc"), null=True, blank=True)
    hidden_reason = models.CharField(_("lý do ẩn"), max_length=255, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    disposition = models.CharField(_("tiếp thu, giải trình"), max_length=16,
                                   choices=Disposition.choices, blank=True)
    response = models.TextField(_("nội dung tiếp thu, giải trình"), blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.consultation} #{self.pk}"


# --- Organisations' notices ------------------------------------------------------


class Notice(ContactMixin, TimeStampedModel):
    portal = models.ForeignKey("units.Portal", verbose_name=_("cổng"), on_delete=models.PROTECT,
                               related_name="notices")
    organisation = models.CharField(_("tổ chức đề nghị"), max_length=255)
    category = models.CharField(_("loại thông báo"), max_length=16,
                                choices=NoticeCategory.choices)
    title = models.CharField(_("tiêu đề"), max_length=500)
    body = models.TextField(_("nội dung"))
    requested_start = models.DateTimeField(_("đăng từ"))
    requested_end = models.DateTimeField(_("đăng đến"))
    tracking_code = models.CharField(_("mã tra cứu"), max_length=16, unique=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=NoticeStatus.choices,
                              default=NoticeStatus.SUBMITTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("lý do từ chối"), max_length=255, blank=True)
    # Proof of what was shown and when: the approved text is frozen here.
    shown_title = models.CharField(max_length=500, blank=True)
    shown_body = models.TextField(blank=True)
    shown_from = models.DateTimeField(null=True, blank=True)
    shown_until = models.DateTimeField(null=True, blank=True)
    support_case = models.OneToOneField("SupportCase", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="notice")

    class Meta:
        verbose_name = _("thông báo của tổ chức")
        verbose_name_plural = _("Thông báo của tổ chức")
        ordering = ["-requested_start"]
        indexes = [models.Index(fields=["portal", "status", "shown_from", "shown_until"])]

    def __str__(self):
        return self.title


class NoticeFile(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(max_length=255)
    file = models.FileField(upload_to="engagement/notices/%Y/%m/")

    def __str__(self):
        return self.title


# --- Support log -----------------------------------------------------------------------


class SupportCase(TimeStampedModel):
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                             related_name="support_cases")
    case_type = models.CharField(_("loại hỗ trợ"), max_length=20, choices=SupportType.choices)
    opened_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    summary = models.TextField(_("nội dung"), blank=True)
    requester = models.CharField(_("tổ chức, cá nhân được hỗ trợ"), max_length=255, blank=True)
    province = models.CharField(_("tỉnh, thành phố (quảng bá sự kiện)"), max_length=255,
                                blank=True)
    event_name = models.CharField(_("sự kiện"), max_length=255, blank=True)
    published_items = models.ManyToManyField("wagtailcore.Page", blank=True, related_name="+",
                                             verbose_name=_("tin bài đã đăng"))
    topic = models.CharField(_("chủ đề tư vấn"), max_length=255, blank=True)
    call_minutes = models.PositiveIntegerField(_("thời lượng (phút)"), null=True, blank=True)
    outcome = models.TextField(_("kết quả"), blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("trường hợp hỗ trợ")
        verbose_name_plural = _("Sổ hỗ trợ tổ chức, cá nhân")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["unit", "opened_at"])]

    def __str__(self):
        return f"{self.get_case_type_display()} — {self.requester or self.summary[:60]}"


# --- Access to information --------------------------------------------------------


class DisclosureItem(TimeStampedModel):
    """One line of the list of information to be disclosed (Decree 13/2018 Art. 6(3))."""

    portal = models.ForeignKey("units.Portal", verbose_name=_("cổng"), on_delete=models.CASCADE,
                               related_name="disclosure_items")
    name = models.CharField(_("tên văn bản, hồ sơ"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    created_on = models.DateField(_("ngày tạo lập"), null=True, blank=True)
    form = models.CharField(_("hình thức công khai"), max_length=255)
    timing = models.CharField(_("thời điểm, thời hạn công khai"), max_length=255, blank=True)
    link = models.URLField(_("đường dẫn"), blank=True)

    class Meta:
        verbose_name = _("thông tin phải công khai")
        verbose_name_plural = _("Danh mục thông tin phải công khai")
        ordering = ["portal", "-created_on", "name"]

    def __str__(self):
        return self.name


class InfoRequest(ContactMixin, TimeStampedModel):
    """A request for information (Law on Access to Information Arts. 23-24)."""

    portal = models.ForeignKey("units.Portal", verbose_name=_("cổng"), on_delete=models.PROTECT,
                               related_name="info_requests")
    tracking_code = models.CharField(_("mã tra cứu"), max_length=16, unique=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    identity_number = models.CharField(_("số giấy tờ tùy thân"), max_length=32)
    information = models.TextField(_("thông tin cần cung cấp"))
    purpose = models.TextField(_("mục đích yêu cầu"))
    received_at = models.DateTimeField(default=timezone.now)
    accept_due_on = models.DateField(_("hạn thông báo thụ lý"))
    provide_due_on = models.DateField(_("hạn cung cấp"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=InfoRequestStatus.choices,
                              default=InfoRequestStatus.RECEIVED)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("trả lời"), blank=True)

    class Meta:
        verbose_name = _("yêu cầu cung cấp thông tin")
        verbose_name_plural = _("Yêu cầu cung cấp thông tin")
        ordering = ["-received_at"]

    def __str__(self):
        return self.tracking_code


def _register_scoped():
    from cong.units.permissions import register_portal_scoped

    for model in (Question, Consultation, Notice, DisclosureItem, InfoRequest,
                  PersonalDataAccess):
        register_portal_scoped(model)
    register_portal_scoped(SupportCase, "unit__portal")


def _question_saved(sender, instance: Question, raw=False, **kwargs):
    if raw:
        return
    if instance.in_library_index():
        from modelsearch.tasks import insert_or_update_object_task

        # the task adds a published answer and removes one no longer published
        insert_or_update_object_task.enqueue(instance._meta.app_label, instance._meta.model_name,
                                             str(instance.pk))


def _question_deleted(sender, instance: Question, **kwargs):
    if instance.in_library_index():
        index.remove_object(instance)


models.signals.post_save.connect(_question_saved, sender=Question, dispatch_uid="cong_question_index")
models.signals.post_delete.connect(_question_deleted, sender=Question, dispatch_uid="cong_question_unindex")
