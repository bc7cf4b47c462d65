"""Writes of the engagement app: every step of every flow goes through here."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cong.core.calendar import add_working_days
from cong.core.errors import ApplicationError
from cong.core.html import text_only
from cong.core.uploads import check_upload
from cong.core.vn import fold
from cong.units.choices import LEADER_ROLES
from cong.units.models import Portal, PortalGroup, Unit
from cong.units.permissions import can_access_portal, is_network_overseer, roles_for_user

from .choices import (
    Channel,
    Classification,
    Disposition,
    InfoRequestStatus,
    NoticeStatus,
    QuestionKind,
    QuestionStatus,
    SupportType,
)
from .models import (
    Consultation,
    ConsultationArticle,
    ConsultationComment,
    ConsultationFile,
    InfoRequest,
    Notice,
    NoticeFile,
    PersonalDataAccess,
    Question,
    QuestionEvent,
    QuestionRating,
    SupportCase,
)

logger = logging.getLogger("cong.engagement")

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ATTACHMENT_TYPES = frozenset({"pdf", "docx", "doc", "xlsx", "odt", "png", "jpg", "jpeg"})
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

CONSENT_QUESTION = (
    "Tôi đồng ý để Ban Biên tập cổng thông tin xử lý họ tên và thông tin liên hệ tôi cung cấp "
    "chỉ nhằm mục đích tiếp nhận, chuyển xử lý và trả lời câu hỏi, phản ánh, kiến nghị này."
)
CONSENT_COMMENT = (
    "Tôi đồng ý để cơ quan chủ trì soạn thảo xử lý họ tên và thông tin liên hệ tôi cung cấp "
    "chỉ nhằm mục đích tổng hợp, tiếp thu, giải trình ý kiến góp ý dự thảo này."
)
CONSENT_NOTICE = (
    "Tôi đồng ý để Ban Biên tập xử lý thông tin liên hệ của người đại diện tổ chức chỉ nhằm mục "
    "đích duyệt và đăng thông báo này."
)
CONSENT_INFO = (
    "Tôi đồng ý để cơ quan xử lý họ tên, số giấy tờ tùy thân và thông tin liên hệ tôi cung cấp "
    "chỉ nhằm mục đích giải quyết yêu cầu cung cấp thông tin này."
)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def question_deadline_days() -> int:
    return _setting("CONG_QUESTION_DEADLINE_DAYS", 15)


def forward_deadline_days() -> int:
    return _setting("CONG_FORWARD_DEADLINE_DAYS", 5)


def tracking_code_new(model) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(10))
        if not model.objects.filter(tracking_code=code).exists():
            return code


def _clean(value: str | None, max_length: int | None = None) -> str:
    text = text_only(value or "")
    return text[:max_length] if max_length else text


def _consent(given: bool, text: str) -> tuple[str, dt.datetime]:
    if not given:
        raise ApplicationError(
            _("Bạn cần đồng ý cho xử lý dữ liệu cá nhân để chúng tôi tiếp nhận và trả lời."),
            field="consent",
        )
    return text, timezone.now()


def _existing(model, submission_key: str | None):
    if not submission_key:
        return None
    return model.objects.filter(submission_key=submission_key).first()


def _check_files(files) -> None:
    for f in files or ():
        check_upload(f, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)


def is_leader(user, portal: Portal) -> bool:
    if is_network_overseer(user):
        return True
    return bool(roles_for_user(user, portal) & set(LEADER_ROLES))


def _require_portal(user, portal: Portal) -> None:
    if user is not None and not can_access_portal(user, portal):
        raise ApplicationError(_("Bạn không thuộc Ban Biên tập của cổng này."))


def portal_of_unit(unit: Unit) -> Portal:
    """The portal whose board handles a unit's matters: its own, else the
    nearest ancestor's."""
    current = unit
    while current is not None:
        portal = Portal.objects.filter(unit=current).first()
        if portal is not None:
            return portal
        current = current.parent
    raise ApplicationError(_("Đơn vị này và các đơn vị cấp trên đều chưa có cổng thông tin."))


# --- Questions and petitions ---------------------------------------------------


def _event(question: Question, action: str, actor=None, note: str = "", **kw) -> QuestionEvent:
    return QuestionEvent.objects.create(question=question, action=action, actor=actor,
                                        note=note, **kw)


def question_submit(
    *,
    portal: Portal,
    topic: str,
    body: str,
    name: str,
    kind: str = QuestionKind.QUESTION,
    address: str = "",
    phone: str = "",
    email: str = "",
    consent: bool = False,
    publish_consent: bool = False,
    channel: str = Channel.WEB,
    submission_key: str | None = None,
    received_at: dt.datetime | None = None,
    actor=None,
) -> tuple[Question, bool]:
    """Record a question or petition; return (question, created).

    A replayed form (same ``submission_key``) returns the question already
    recorded. Web submissions need the purpose-specific consent; staff record
    phone and letter submissions on the sender's behalf, stating the consent
    the sender gave orally or in writing.
    """
    found = _existing(Question, submission_key)
    if found is not None:
        return found, False
    topic, body = _clean(topic, 255), _clean(body)
    name, address = _clean(name, 150), _clean(address, 255)
    phone, email = _clean(phone, 32), _clean(email, 254)
    if not topic:
        raise ApplicationError(_("Vui lòng nhập chủ đề."), field="topic")
    if len(body) < 10:
        raise ApplicationError(_("Vui lòng nêu rõ nội dung (ít nhất 10 ký tự)."), field="body")
    if not name:
        raise ApplicationError(_("Vui lòng nhập họ và tên."), field="name")
    # Decree 20/2008 Art. 7(1): a petition gives an address or a phone number;
    # a question needs one way to be answered.
    if kind == QuestionKind.PETITION and not (address or phone):
        raise ApplicationError(
            _("Phản ánh, kiến nghị cần ghi địa chỉ hoặc số điện thoại của người gửi."),
            field="address",
        )
    if not (address or phone or email):
        raise ApplicationError(
            _("Vui lòng cho biết địa chỉ, số điện thoại hoặc thư điện tử để nhận trả lời."),
            field="email",
        )
    consent_text, consent_at = _consent(consent, CONSENT_QUESTION)
    received_at = received_at or timezone.now()
    try:
        with transaction.atomic():
            question = Question.objects.create(
                portal=portal, kind=kind, channel=channel, topic=topic, body=body, name=name,
                address=address, phone=phone, email=email, consent_text=consent_text,
                consent_at=consent_at, publish_consent=publish_consent,
                tracking_code=tracking_code_new(Question), submission_key=submission_key or None,
                received_at=received_at,
                due_on=add_working_days(received_at, question_deadline_days()),
            )
            _event(question, "received", actor, to_portal=portal,
                   note=str(Channel(channel).label))
    except IntegrityError:
        found = _existing(Question, submission_key)
        if found is None:
            raise
        return found, False
    if question.email:
        _enqueue_mail(question.pk, "received")
    return question, True


def _enqueue_mail(question_id: int, template: str) -> None:
    from .tasks import question_mail_send

    question_mail_send.enqueue(question_id, template)


def question_mail(question: Question, template: str) -> bool:
    """E-mail the sender; every attempt is written into the history."""
    if not question.email:
        return False
    ctx = {"question": question, "portal_name": question.portal.unit.name,
           "base_url": question.portal.base_url}
    subject = render_to_string(f"engagement/mail/{template}_subject.txt", ctx).strip()
    body = render_to_string(f"engagement/mail/{template}.txt", ctx)
    try:
        send_mail(subject, body, None, [question.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("mail to sender of %s failed: %s", question.tracking_code, exc)
        _event(question, "mail_failed", note=f"{template}: {exc}"[:500])
        return False
    _event(question, "mail_sent", note=template)
    return True


def _open(question: Question) -> None:
    if question.closed_at is not None:
        raise ApplicationError(_("Câu hỏi này đã được xử lý xong."))


def question_classify(*, question: Question, classification: str, actor, note: str = "") -> Question:
    _require_portal(actor, question.portal)
    _open(question)
    question.classification = Classification(classification)
    if classification in (Classification.OUT_OF_COMPETENCE, Classification.CONDUCT):
        question.forward_due_on = add_working_days(question.received_at, forward_deadline_days())
    else:
        question.forward_due_on = None
    if classification == Classification.INCOMPLETE:
        question.status = QuestionStatus.REJECTED
        question.closed_at = timezone.now()
    question.save()
    _event(question, "classified", actor, note=_clean(note) or str(question.get_classification_display()))
    if classification == Classification.INCOMPLETE and question.email:
        _enqueue_mail(question.pk, "rejected")
    return question


def question_assign(*, question: Question, unit: Unit, actor, note: str = "") -> Question:
    """Give the question to the unit that answers it; a unit of another portal
    moves the question to that portal's board, keeping the history."""
    _require_portal(actor, question.portal)
    _open(question)
    if not unit.active:
        raise ApplicationError(_("Đơn vị này đã ngừng hoạt động."), field="unit")
    target = portal_of_unit(unit)
    source = question.portal
    with transaction.atomic():
        question.unit = unit
        question.status = QuestionStatus.ASSIGNED
        if target.pk != source.pk:
            question.portal = target
            question.forward_due_on = None
            _event(question, "forwarded", actor, note=_clean(note), from_portal=source,
                   to_portal=target, unit=unit)
            log(question, "cong.question.forward", user=actor,
                data={"from_portal": source.pk, "to_portal": target.pk, "unit": unit.pk})
        else:
            _event(question, "assigned", actor, note=_clean(note), to_portal=source, unit=unit)
        question.save()
    return question


def question_draft(*, question: Question, answer: str, actor) -> Question:
    _require_portal(actor, question.portal)
    _open(question)
    answer = _clean(answer)
    if len(answer) < 10:
        raise ApplicationError(_("Nội dung trả lời quá ngắn."), field="answer")
    question.answer = answer
    question.answered_by = actor
    question.status = QuestionStatus.DRAFTED
    question.save()
    _event(question, "drafted", actor)
    return question


PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ID_RE = re.compile(r"(?<!\d)\d{9}(?:\d{3})?(?!\d)")
REDACTED = "[…]"


def redact(text: str, *known: str) -> str:
    """Remove personal data from a text: the sender's own name, address,
    phone and e-mail wherever they appear, and anything shaped like a phone
    number, an e-mail address or an identity-card number."""
    out = text or ""
    for value in sorted({k.strip() for k in known if k and len(k.strip()) >= 3}, key=len,
                        reverse=True):
        out = re.sub(re.escape(value), REDACTED, out, flags=re.IGNORECASE)
    out = EMAIL_RE.sub(REDACTED, out)
    out = PHONE_RE.sub(REDACTED, out)
    return ID_RE.sub(REDACTED, out)


def question_approve(*, question: Question, actor, public_question: str = "",
                     public_answer: str = "") -> Question:
    """A board leader approves the drafted answer: the question is published
    (without personal data) when the sender agreed, and the sender is told."""
    if not is_leader(actor, question.portal):
        raise ApplicationError(_("Chỉ Trưởng ban, Phó Trưởng ban được duyệt câu trả lời."))
    _open(question)
    if question.status != QuestionStatus.DRAFTED or not question.answer:
        raise ApplicationError(_("Câu hỏi chưa có dự thảo trả lời."))
    known = (question.name, question.address, question.phone, question.email)
    now = timezone.now()
    with transaction.atomic():
        question.approved_by = actor
        question.closed_at = now
        question.public_answer = redact(_clean(public_answer) or question.answer, *known)
        if question.publish_consent:
            question.public_question = redact(_clean(public_question) or question.body, *known)
            question.status = QuestionStatus.PUBLISHED
            question.published_at = now
            question.search_folded = fold(
                f"{question.topic} {question.public_question} {question.public_answer}"
            )
        else:
            question.status = QuestionStatus.ANSWERED_PRIVATELY
        question.save()
        _event(question, "approved", actor)
        log(question, "cong.question.publish" if question.published_at else "cong.question.answer",
            user=actor)
    if question.email:
        _enqueue_mail(question.pk, "answered")
    return question


def question_rate(*, question: Question, score: int, client: str) -> bool:
    """An anonymous 1–5 rating of a published answer, once per client."""
    if question.status != QuestionStatus.PUBLISHED:
        raise ApplicationError(_("Chỉ đánh giá được câu trả lời đã công khai."))
    if score not in range(1, 6):
        raise ApplicationError(_("Mức đánh giá từ 1 đến 5."), field="score")
    try:
        with transaction.atomic():
            QuestionRating.objects.create(question=question, score=score, client=client)
            Question.objects.filter(pk=question.pk).update(
                rating_count=F("rating_count") + 1, rating_total=F("rating_total") + score,
            )
    except IntegrityError:
        return False
    return True


def _board_emails(portal: Portal) -> list[str]:
    return sorted(
        {
            e for e in PortalGroup.objects.filter(portal=portal)
            .values_list("group__user__email", flat=True) if e
        }
    )


def questions_remind(today: dt.date | None = None) -> int:
    """Remind each board of its open questions due within two working days or
    overdue, once a day per question."""
    from .selectors import questions_due_soon

    today = today or timezone.localdate()
    sent = 0
    by_portal: dict[int, list[Question]] = {}
    for q in questions_due_soon(today).exclude(reminded_on=today).select_related("portal__unit"):
        by_portal.setdefault(q.portal_id, []).append(q)
    for questions in by_portal.values():
        portal = questions[0].portal
        body = render_to_string("engagement/mail/reminder.txt", {
            "questions": questions, "today": today, "portal_name": portal.unit.name,
        })
        recipients = _board_emails(portal)
        if recipients:
            try:
                send_mail(_("Nhắc hạn trả lời câu hỏi, phản ánh"), body, None, recipients)
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("reminder for portal %s failed: %s", portal.pk, exc)
                continue
        for q in questions:
            _event(q, "reminded", note=f"hạn {q.due_on:%d/%m/%Y}")
        Question.objects.filter(pk__in=[q.pk for q in questions]).update(reminded_on=today)
        sent += len(questions)
    return sent


def personal_data_view(*, user, obj, purpose: str = "xem") -> None:
    """Log that ``user`` saw the personal data of ``obj`` (a request row)."""
    PersonalDataAccess.objects.create(
        user=user, portal=obj.portal, object_type=obj._meta.model_name, object_id=obj.pk,
        purpose=purpose,
    )


# --- Support log ---------------------------------------------------------------


def support_case_log(*, unit: Unit, case_type: str, opened_at: dt.datetime | None = None,
                     actor=None, published_items=(), **fields) -> SupportCase:
    SupportType(case_type)
    if case_type == SupportType.EVENT_PROMOTION and not fields.get("province"):
        raise ApplicationError(_("Ghi rõ tỉnh, thành phố có sự kiện được quảng bá."),
                               field="province")
    clean = {k: (_clean(v) if isinstance(v, str) else v) for k, v in fields.items()}
    case = SupportCase.objects.create(unit=unit, case_type=case_type,
                                      opened_at=opened_at or timezone.now(), logged_by=actor,
                                      **clean)
    if published_items:
        case.published_items.set(published_items)
    return case


# --- Consultations on drafts -------------------------------------------------------


def consultation_min_days() -> dict[str, int]:
    """Minimum posting period per document type (legal-requirements.md §9):
    20 days under Law 64/2025, 10 days for decisions of the provincial
    Chairman (Decree 78/2025 Art. 51a); the province may change these."""
    return _setting("CONG_CONSULTATION_MIN_DAYS", {
        "nghi-quyet": 20, "quyet-dinh-ubnd": 20, "quyet-dinh-chu-tich": 10, "khac": 10,
    })


def consultation_create(*, portal: Portal, title: str, doc_type: str, drafting_agency: str,
                        body: str, opens_at: dt.datetime, closes_at: dt.datetime,
                        articles: list[str] = (), drafting_agency_email: str = "",
                        files=(), for_other_agency: bool = False, actor=None) -> Consultation:
    from cong.core.html import sanitize_html

    _require_portal(actor, portal)
    minimum = consultation_min_days()
    if doc_type not in minimum:
        raise ApplicationError(_("Loại văn bản không có trong danh mục."), field="doc_type")
    if closes_at - opens_at < dt.timedelta(days=minimum[doc_type]):
        raise ApplicationError(
            _("Thời gian lấy ý kiến loại văn bản này tối thiểu %(n)s ngày.") % {"n": minimum[doc_type]},
            field="closes_at",
        )
    _check_files(files)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            portal=portal, title=_clean(title, 500), doc_type=doc_type,
            drafting_agency=_clean(drafting_agency, 255),
            drafting_agency_email=drafting_agency_email, body=sanitize_html(body),
            opens_at=opens_at, closes_at=closes_at,
        )
        for n, article in enumerate(articles, start=1):
            ConsultationArticle.objects.create(consultation=consultation, number=n,
                                               title=_clean(article, 500))
        for f in files:
            ConsultationFile.objects.create(consultation=consultation, title=f.name, file=f)
        if for_other_agency:
            consultation.support_case = support_case_log(
                unit=portal.unit, case_type=SupportType.CONSULTATION, opened_at=opens_at,
                requester=consultation.drafting_agency, summary=consultation.title, actor=actor,
            )
            consultation.save(update_fields=["support_case"])
        log(consultation, "wagtail.create", user=actor)
    return consultation


def consultation_comment_submit(*, consultation: Consultation, body: str, name: str = "",
                                email: str = "", organisation: str = "", article=None,
                                consent: bool = False, submission_key: str | None = None,
                                now: dt.datetime | None = None) -> tuple[ConsultationComment, bool]:
    found = _existing(ConsultationComment, submission_key)
    if found is not None:
        return found, False
    if not consultation.is_open(now):
        raise ApplicationError(_("Dự thảo này hiện không nhận góp ý (đã hết hoặc chưa đến thời gian lấy ý kiến)."))
    body = _clean(body)
    if len(body) < 5:
        raise ApplicationError(_("Vui lòng nhập nội dung góp ý."), field="body")
    if article is not None and article.consultation_id != consultation.pk:
        raise ApplicationError(_("Điều khoản không thuộc dự thảo này."), field="article")
    name, email = _clean(name, 150), _clean(email, 254)
    consent_text, consent_at = ("", None)
    if name or email:
        consent_text, consent_at = _consent(consent, CONSENT_COMMENT)
    try:
        with transaction.atomic():
            comment = ConsultationComment.objects.create(
                consultation=consultation, article=article, body=body, name=name, email=email,
                organisation=_clean(organisation, 255), consent_text=consent_text,
                consent_at=consent_at, submission_key=submission_key or None,
            )
    except IntegrityError:
        found = _existing(ConsultationComment, submission_key)
        if found is None:
            raise
        return found, False
    return comment, True


def consultation_comment_hide(*, comment: ConsultationComment, reason: str, actor) -> ConsultationComment:
    _require_portal(actor, comment.consultation.portal)
    reason = _clean(reason, 255)
    if not reason:
        raise ApplicationError(_("Ghi lý do ẩn góp ý."), field="reason")
    comment.hidden_at = timezone.now()
    comment.hidden_reason = reason
    comment.hidden_by = actor
    comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    log(comment.consultation, "cong.consultation.hide_comment", user=actor,
        data={"comment": comment.pk, "reason": reason})
    return comment


def consultation_comment_dispose(*, comment: ConsultationComment, disposition: str,
                                 response: str, actor) -> ConsultationComment:
    _require_portal(actor, comment.consultation.portal)
    Disposition(disposition)
    response = _clean(response)
    if disposition != Disposition.ACCEPTED and not response:
        raise ApplicationError(_("Ghi nội dung giải trình."), field="response")
    comment.disposition = disposition
    comment.response = response
    comment.save(update_fields=["disposition", "response"])
    return comment


def consultations_close_due(now: dt.datetime | None = None) -> int:
    """Close every consultation whose closing time has passed."""
    now = now or timezone.now()
    return Consultation.objects.filter(closed_at__isnull=True, closes_at__lte=now).update(
        closed_at=F("closes_at")
    )


# --- Organisations' notices ------------------------------------------------------------


def notice_submit(*, portal: Portal, organisation: str, category: str, title: str, body: str,
                  requested_start: dt.datetime, requested_end: dt.datetime, name: str,
                  email: str = "", phone: str = "", consent: bool = False, files=(),
                  submission_key: str | None = None) -> tuple[Notice, bool]:
    found = _existing(Notice, submission_key)
    if found is not None:
        return found, False
    if requested_end <= requested_start:
        raise ApplicationError(_("Thời gian kết thúc phải sau thời gian bắt đầu."),
                               field="requested_end")
    if not (email or phone):
        raise ApplicationError(_("Cho biết thư điện tử hoặc số điện thoại để liên hệ."),
                               field="email")
    for label, value in (("organisation", organisation), ("title", title), ("body", body),
                         ("name", name)):
        if not _clean(value):
            raise ApplicationError(_("Trường này là bắt buộc."), field=label)
    consent_text, consent_at = _consent(consent, CONSENT_NOTICE)
    _check_files(files)
    with transaction.atomic():
        notice = Notice.objects.create(
            portal=portal, organisation=_clean(organisation, 255), category=category,
            title=_clean(title, 500), body=_clean(body), requested_start=requested_start,
            requested_end=requested_end, name=_clean(name, 150), email=_clean(email, 254),
            phone=_clean(phone, 32), consent_text=consent_text, consent_at=consent_at,
            tracking_code=tracking_code_new(Notice), submission_key=submission_key or None,
        )
        for f in files:
            NoticeFile.objects.create(notice=notice, title=f.name, file=f)
    return notice, True


def notice_approve(*, notice: Notice, actor, shown_from: dt.datetime | None = None,
                   shown_until: dt.datetime | None = None) -> Notice:
    """Approve a notice: its text is frozen as shown, it is visible for exactly
    its window, and the posting is a support case of type announcement."""
    _require_portal(actor, notice.portal)
    if notice.status != NoticeStatus.SUBMITTED:
        raise ApplicationError(_("Thông báo này đã được xử lý."))
    now = timezone.now()
    start = max(shown_from or notice.requested_start, now)
    end = shown_until or notice.requested_end
    if end <= start:
        raise ApplicationError(_("Thời gian đăng đã qua; chọn thời gian đăng mới."),
                               field="shown_until")
    with transaction.atomic():
        notice.status = NoticeStatus.APPROVED
        notice.decided_by, notice.decided_at = actor, now
        notice.shown_title, notice.shown_body = notice.title, notice.body
        notice.shown_from, notice.shown_until = start, end
        notice.support_case = support_case_log(
            unit=notice.portal.unit, case_type=SupportType.ANNOUNCEMENT, opened_at=now,
            requester=notice.organisation, summary=notice.title, actor=actor,
        )
        notice.save()
        log(notice, "cong.notice.approve", user=actor)
    return notice


def notice_reject(*, notice: Notice, actor, reason: str) -> Notice:
    _require_portal(actor, notice.portal)
    if notice.status != NoticeStatus.SUBMITTED:
        raise ApplicationError(_("Thông báo này đã được xử lý."))
    reason = _clean(reason, 255)
    if not reason:
        raise ApplicationError(_("Ghi lý do từ chối."), field="reason")
    notice.status = NoticeStatus.REJECTED
    notice.reject_reason = reason
    notice.decided_by, notice.decided_at = actor, timezone.now()
    notice.save()
    return notice


def notice_withdraw(*, notice: Notice, actor) -> Notice:
    """End an approved notice's display now (the proof keeps the real end)."""
    _require_portal(actor, notice.portal)
    now = timezone.now()
    if notice.status == NoticeStatus.APPROVED and notice.shown_until and notice.shown_until > now:
        notice.shown_until = max(now, notice.shown_from)
        notice.save(update_fields=["shown_until"])
    return notice


# --- Access to information -----------------------------------------------------------------


def info_request_submit(*, portal: Portal, name: str, identity_number: str, information: str,
                        purpose: str, address: str = "", phone: str = "", email: str = "",
                        consent: bool = False, submission_key: str | None = None,
                        received_at: dt.datetime | None = None) -> tuple[InfoRequest, bool]:
    """A request under the Law on Access to Information: the agency says
    within 3 working days whether it accepts it and provides the information
    within 15 working days."""
    found = _existing(InfoRequest, submission_key)
    if found is not None:
        return found, False
    name, identity_number = _clean(name, 150), _clean(identity_number, 32)
    information, purpose = _clean(information), _clean(purpose)
    if not name:
        raise ApplicationError(_("Vui lòng nhập họ và tên."), field="name")
    if not re.fullmatch(r"[0-9A-Za-z]{8,12}", identity_number):
        raise ApplicationError(_("Số giấy tờ tùy thân không hợp lệ."), field="identity_number")
    if not information:
        raise ApplicationError(_("Nêu thông tin cần cung cấp."), field="information")
    if not purpose:
        raise ApplicationError(_("Nêu mục đích yêu cầu."), field="purpose")
    if not (address or phone or email):
        raise ApplicationError(_("Cho biết địa chỉ, số điện thoại hoặc thư điện tử."),
                               field="email")
    consent_text, consent_at = _consent(consent, CONSENT_INFO)
    received_at = received_at or timezone.now()
    request = InfoRequest.objects.create(
        portal=portal, name=name, identity_number=identity_number, information=information,
        purpose=purpose, address=_clean(address, 255), phone=_clean(phone, 32),
        email=_clean(email, 254), consent_text=consent_text, consent_at=consent_at,
        tracking_code=tracking_code_new(InfoRequest), submission_key=submission_key or None,
        received_at=received_at, accept_due_on=add_working_days(received_at, 3),
        provide_due_on=add_working_days(received_at, 15),
    )
    return request, True


def info_request_decide(*, request: InfoRequest, actor, status: str, reply: str = "") -> InfoRequest:
    _require_portal(actor, request.portal)
    status = InfoRequestStatus(status)
    now = timezone.now()
    if request.closed_at is not None:
        raise ApplicationError(_("Yêu cầu này đã được giải quyết."))
    if status == InfoRequestStatus.ACCEPTED:
        request.accepted_at = now
    elif status in (InfoRequestStatus.PROVIDED, InfoRequestStatus.REFUSED):
        if not _clean(reply):
            raise ApplicationError(_("Ghi nội dung trả lời hoặc lý do từ chối."), field="reply")
        request.closed_at = now
        request.accepted_at = request.accepted_at or now
    request.status = status
    request.reply = _clean(reply)
    request.save()
    return request


# --- Personal data -------------------------------------------------------------------


def retention_days() -> int:
    return _setting("CONG_CONTACT_RETENTION_DAYS", 730)


def contacts_erase_expired(now: dt.datetime | None = None) -> int:
    """Blank the contact data of requests closed longer ago than the
    retention period the province set."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=retention_days())
    erased = 0
    blank = {"name": "", "address": "", "phone": "", "email": "", "contact_erased_at": now}
    erased += Question.objects.filter(closed_at__lte=limit, contact_erased_at__isnull=True).update(**blank)
    erased += InfoRequest.objects.filter(closed_at__lte=limit, contact_erased_at__isnull=True).update(
        identity_number="", **blank)
    erased += Notice.objects.filter(
        contact_erased_at__isnull=True, decided_at__lte=limit,
    ).exclude(shown_until__gt=limit).update(**blank)
    erased += ConsultationComment.objects.filter(
        consultation__closed_at__lte=limit, contact_erased_at__isnull=True,
    ).update(**blank)
    return erased


def _person_rows(email: str):
    email = email.strip()
    if not email:
        raise ApplicationError(_("Nhập thư điện tử của người yêu cầu."), field="email")
    return {
        "questions": Question.objects.filter(email__iexact=email),
        "comments": ConsultationComment.objects.filter(email__iexact=email),
        "notices": Notice.objects.filter(email__iexact=email),
        "info_requests": InfoRequest.objects.filter(email__iexact=email),
    }


def personal_data_export(*, email: str) -> dict:
    """Everything held about the person with this e-mail address."""
    rows = _person_rows(email)
    return {
        "email": email.strip(),
        "questions": [
            {"tracking_code": q.tracking_code, "name": q.name, "address": q.address,
             "phone": q.phone, "topic": q.topic, "body": q.body,
             "received_at": q.received_at.isoformat(), "consent": q.consent_text,
             "consent_at": q.consent_at.isoformat() if q.consent_at else None,
             "status": q.status}
            for q in rows["questions"]
        ],
        "comments": [
            {"consultation": c.consultation.title, "name": c.name, "body": c.body,
             "submitted_at": c.submitted_at.isoformat()}
            for c in rows["comments"].select_related("consultation")
        ],
        "notices": [
            {"tracking_code": n.tracking_code, "name": n.name, "phone": n.phone,
             "organisation": n.organisation, "title": n.title}
            for n in rows["notices"]
        ],
        "info_requests": [
            {"tracking_code": r.tracking_code, "name": r.name, "identity_number": r.identity_number,
             "address": r.address, "phone": r.phone, "information": r.information}
            for r in rows["info_requests"]
        ],
    }


def personal_data_erase(*, email: str) -> int:
    """Erase the contact data of the person with this e-mail address; what
    they wrote stays (without who wrote it) for the agency's records."""
    now = timezone.now()
    blank = {"name": "", "address": "", "phone": "", "email": "", "contact_erased_at": now}
    total = 0
    for key, qs in _person_rows(email).items():
        extra = {"identity_number": ""} if key == "info_requests" else {}
        total += qs.update(**blank, **extra)
    return total
