"""The desk of each portal's board: questions, the support log,
consultations, notices and information requests.

Every list and every object goes through ``filter_for_user``: a board member
never sees another portal's rows. Personal data appear only on detail pages,
and each showing is logged (``PersonalDataAccess``).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from cong.core.errors import ApplicationError
from cong.units.models import Unit
from cong.units.permissions import filter_for_user, portal_ids_for_user, portals_for_user

from .. import exports, selectors, services
from ..choices import (
    Channel,
    Classification,
    Disposition,
    InfoRequestStatus,
    NoticeStatus,
    QuestionKind,
    QuestionStatus,
    SupportType,
)
from ..models import (
    Consultation,
    ConsultationComment,
    InfoRequest,
    Notice,
    Question,
    SupportCase,
)


def _get(request, model, pk, field="portal"):
    return get_object_or_404(filter_for_user(model.objects.all(), request.user, field), pk=pk)


def _render(request, template, context):
    return TemplateResponse(request, f"engagement/admin/{template}", context)


def _apply(request, form, action, success):
    """Run a service from a valid form; errors go back onto the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


class PortalChoiceMixin(forms.Form):
    portal = forms.ModelChoiceField(label=_l("Cổng"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        portals = portals_for_user(user)
        self.fields["portal"].queryset = portals
        if portals.count() == 1:
            self.fields["portal"].initial = portals.first().pk


# --- Questions ---------------------------------------------------------------------


class StaffQuestionForm(PortalChoiceMixin):
    channel = forms.ChoiceField(label=_l("Kênh tiếp nhận"),
                                choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    kind = forms.ChoiceField(label=_l("Loại"), choices=QuestionKind.choices)
    received_at = forms.DateTimeField(label=_l("Tiếp nhận lúc"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    topic = forms.CharField(label=_l("Chủ đề"), max_length=255)
    body = forms.CharField(label=_l("Nội dung"), widget=forms.Textarea)
    name = forms.CharField(label=_l("Họ và tên người gửi"), max_length=150)
    address = forms.CharField(label=_l("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_l("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_l("Thư điện tử"), required=False)
    consent = forms.BooleanField(label=_l("Người gửi đã đồng ý cho xử lý dữ liệu cá nhân để trả lời"),
                                 required=False)
    publish_consent = forms.BooleanField(label=_l("Người gửi đồng ý công khai câu hỏi"),
                                         required=False)


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(label=_l("Phân loại"), choices=Classification.choices)
    note = forms.CharField(label=_l("Ghi chú"), required=False)


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_l("Đơn vị xử lý"),
                                  queryset=Unit.objects.filter(active=True).order_by("name"))
    note = forms.CharField(label=_l("Ghi chú"), required=False)


class DraftForm(forms.Form):
    answer = forms.CharField(label=_l("Dự thảo trả lời"), widget=forms.Textarea)


class ApproveForm(forms.Form):
    public_question = forms.CharField(label=_l("Câu hỏi công khai (để trống: lấy nội dung gốc đã lược bỏ dữ liệu cá nhân)"),
                                      widget=forms.Textarea, required=False)
    public_answer = forms.CharField(label=_l("Trả lời công khai (để trống: lấy dự thảo)"),
                                    widget=forms.Textarea, required=False)


def questions_index(request):
    qs = filter_for_user(Question.objects.select_related("portal__unit", "unit"), request.user)
    status = request.GET.get("trang_thai", "")
    if status in QuestionStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("qua_han"):
        qs = qs.filter(closed_at__isnull=True, due_on__lt=timezone.localdate())
    return _render(request, "questions_index.html", {
        "questions": qs[:500], "statuses": QuestionStatus.choices, "status": status,
        "today": timezone.localdate(),
    })


def questions_overdue(request):
    ids = portal_ids_for_user(request.user)
    return _render(request, "questions_overdue.html", {
        "questions": selectors.questions_overdue(ids), "today": timezone.localdate(),
    })


@require_http_methods(["GET", "POST"])
def question_add(request):
    form = StaffQuestionForm(request.POST or None, user=request.user)
    created = {}

    def act(d):
        q, _c = services.question_submit(
            portal=d["portal"], kind=d["kind"], channel=d["channel"], topic=d["topic"],
            body=d["body"], name=d["name"], address=d["address"], phone=d["phone"],
            email=d["email"], consent=d["consent"], publish_consent=d["publish_consent"],
            received_at=d["received_at"] or None, actor=request.user,
        )
        created["q"] = q

    if request.method == "POST" and _apply(request, form, act, _("Đã ghi nhận câu hỏi.")):
        return redirect("engagement_admin:question", created["q"].pk)
    return _render(request, "form.html", {"form": form, "title": _("Ghi nhận câu hỏi qua điện thoại, thư")})


@require_http_methods(["GET", "POST"])
def question_detail(request, pk):
    question = _get(request, Question, pk)
    forms_ = {
        "classify": ClassifyForm(prefix="classify"), "assign": AssignForm(prefix="assign"),
        "draft": DraftForm(prefix="draft", initial={"answer": question.answer}),
        "approve": ApproveForm(prefix="approve"),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        actions = {
            "classify": lambda d: services.question_classify(
                question=question, classification=d["classification"], actor=request.user,
                note=d["note"]),
            "assign": lambda d: services.question_assign(
                question=question, unit=d["unit"], actor=request.user, note=d["note"]),
            "draft": lambda d: services.question_draft(
                question=question, answer=d["answer"], actor=request.user),
            "approve": lambda d: services.question_approve(
                question=question, actor=request.user, public_question=d["public_question"],
                public_answer=d["public_answer"]),
        }
        if action in actions:
            form = type(forms_[action])(request.POST, prefix=action)
            forms_[action] = form
            if _apply(request, form, actions[action], _("Đã cập nhật.")):
                if filter_for_user(Question.objects.filter(pk=pk), request.user).exists():
                    return redirect("engagement_admin:question", pk)
                return redirect("engagement_admin:questions")
    services.personal_data_view(user=request.user, obj=question, purpose="xử lý câu hỏi")
    return _render(request, "question_detail.html", {
        "question": question, "forms": forms_,
        "events": question.events.select_related("actor", "from_portal__unit", "to_portal__unit", "unit"),
        "is_leader": services.is_leader(request.user, question.portal),
    })


# --- Support log ---------------------------------------------------------------------


class SupportCaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_l("Đơn vị"), queryset=None)
    case_type = forms.ChoiceField(label=_l("Loại hỗ trợ"), choices=SupportType.choices)
    opened_at = forms.DateTimeField(label=_l("Thời điểm"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    requester = forms.CharField(label=_l("Tổ chức, cá nhân được hỗ trợ"), required=False)
    topic = forms.CharField(label=_l("Chủ đề"), required=False)
    call_minutes = forms.IntegerField(label=_l("Thời lượng cuộc gọi (phút)"), required=False,
                                      min_value=0)
    province = forms.CharField(label=_l("Tỉnh, thành phố có sự kiện"), required=False)
    event_name = forms.CharField(label=_l("Tên sự kiện"), required=False)
    published_items = forms.ModelMultipleChoiceField(
        label=_l("Tin bài đã đăng cho sự kiện (180 ngày gần đây)"), queryset=None, required=False)
    summary = forms.CharField(label=_l("Nội dung"), widget=forms.Textarea, required=False)
    outcome = forms.CharField(label=_l("Kết quả"), widget=forms.Textarea, required=False)

    def __init__(self, *args, user, **kwargs):
        from django.db.models import Q
        from wagtail.models import Page

        from cong.content.models import ItemPage

        super().__init__(*args, **kwargs)
        portals = portals_for_user(user)
        self.fields["unit"].queryset = Unit.objects.filter(portal__in=portals).order_by("name")
        roots = Page.objects.filter(pk__in=portals.values("site__root_page_id")).only("path")
        within = Q(pk__in=[])
        for root in roots:
            within |= Q(path__startswith=root.path)
        since = timezone.now() - dt.timedelta(days=180)
        self.fields["published_items"].queryset = (
            ItemPage.objects.live().filter(within, first_published_at__gte=since)
            .order_by("-first_published_at")
        )


def support_index(request):
    qs = filter_for_user(SupportCase.objects.select_related("unit"), request.user, "unit__portal")
    case_type = request.GET.get("loai", "")
    if case_type in SupportType.values:
        qs = qs.filter(case_type=case_type)
    return _render(request, "support_index.html", {
        "cases": qs[:500], "types": SupportType.choices, "case_type": case_type,
    })


@require_http_methods(["GET", "POST"])
def support_add(request):
    form = SupportCaseForm(request.POST or None, user=request.user)

    def act(d):
        d = dict(d)
        services.support_case_log(
            unit=d.pop("unit"), case_type=d.pop("case_type"),
            opened_at=d.pop("opened_at") or None, actor=request.user,
            published_items=list(d.pop("published_items") or ()),
            **{k: v for k, v in d.items() if v not in (None, "")},
        )

    if request.method == "POST" and _apply(request, form, act, _("Đã ghi sổ hỗ trợ.")):
        return redirect("engagement_admin:support")
    return _render(request, "form.html", {"form": form, "title": _("Ghi sổ hỗ trợ")})


# --- Consultations ------------------------------------------------------------------------


class ConsultationForm(PortalChoiceMixin):
    title = forms.CharField(label=_l("Tên dự thảo"), max_length=500)
    doc_type = forms.ChoiceField(label=_l("Loại văn bản"), choices=())
    drafting_agency = forms.CharField(label=_l("Cơ quan chủ trì soạn thảo"), max_length=255)
    drafting_agency_email = forms.EmailField(label=_l("Thư điện tử nhận góp ý"), required=False)
    for_other_agency = forms.BooleanField(label=_l("Hỗ trợ cơ quan khác lấy ý kiến"), required=False)
    body = forms.CharField(label=_l("Toàn văn dự thảo (HTML)"), widget=forms.Textarea)
    articles = forms.CharField(label=_l("Các điều (mỗi dòng một điều)"), widget=forms.Textarea,
                               required=False)
    opens_at = forms.DateTimeField(label=_l("Bắt đầu"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_l("Kết thúc"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    attachment = forms.FileField(label=_l("Tệp dự thảo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [
            (k, f"{k} (≥ {v})") for k, v in services.consultation_min_days().items()
        ]


def consultations_index(request):
    qs = filter_for_user(Consultation.objects.select_related("portal__unit"), request.user)
    return _render(request, "consultations_index.html", {"consultations": qs, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def consultation_add(request):
    form = ConsultationForm(request.POST or None, request.FILES or None, user=request.user)
    created = {}

    def act(d):
        created["c"] = services.consultation_create(
            portal=d["portal"], title=d["title"], doc_type=d["doc_type"],
            drafting_agency=d["drafting_agency"], drafting_agency_email=d["drafting_agency_email"],
            body=d["body"], opens_at=d["opens_at"], closes_at=d["closes_at"],
            articles=[a for a in d["articles"].splitlines() if a.strip()],
            files=[d["attachment"]] if d["attachment"] else [],
            for_other_agency=d["for_other_agency"], actor=request.user,
        )

    if request.method == "POST" and _apply(request, form, act, _("Đã tạo dự thảo lấy ý kiến.")):
        return redirect("engagement_admin:consultation", created["c"].pk)
    return _render(request, "form.html", {"form": form, "title": _("Đăng dự thảo lấy ý kiến"),
                                          "multipart": True})


class HideForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_l("Lý do ẩn"), max_length=255)


class DisposeForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    disposition = forms.ChoiceField(label=_l("Tiếp thu, giải trình"), choices=Disposition.choices)
    response = forms.CharField(label=_l("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}),
                               required=False)


@require_http_methods(["GET", "POST"])
def consultation_detail(request, pk):
    consultation = _get(request, Consultation, pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        form = {"hide": HideForm, "dispose": DisposeForm}.get(action, HideForm)(request.POST)
        if form.is_valid():
            comment = get_object_or_404(ConsultationComment, consultation=consultation,
                                        pk=form.cleaned_data["comment"])
            try:
                if action == "hide":
                    services.consultation_comment_hide(
                        comment=comment, reason=form.cleaned_data["reason"], actor=request.user)
                else:
                    services.consultation_comment_dispose(
                        comment=comment, disposition=form.cleaned_data["disposition"],
                        response=form.cleaned_data["response"], actor=request.user)
            except ApplicationError as exc:
                error = exc.message
            else:
                return redirect("engagement_admin:consultation", pk)
        else:
            error = _("Dữ liệu chưa hợp lệ.")
    return _render(request, "consultation_detail.html", {
        "consultation": consultation, "comments": consultation.comments.select_related("article"),
        "error": error, "dispositions": Disposition.choices,
    })


def consultation_export(request, pk, fmt):
    consultation = _get(request, Consultation, pk)
    if fmt not in ("docx", "xlsx"):
        raise Http404
    if fmt == "docx":
        data = exports.synthesis_docx(consultation)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        data = exports.synthesis_xlsx(consultation)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="tong-hop-gop-y-{consultation.pk}.{fmt}"'
    return response


# --- Notices --------------------------------------------------------------------------------


class NoticeDecisionForm(forms.Form):
    shown_from = forms.DateTimeField(label=_l("Đăng từ"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    shown_until = forms.DateTimeField(label=_l("Đăng đến"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_l("Lý do từ chối"), required=False)


def notices_index(request):
    qs = filter_for_user(Notice.objects.select_related("portal__unit"), request.user)
    return _render(request, "notices_index.html", {"notices": qs[:500], "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def notice_detail(request, pk):
    notice = _get(request, Notice, pk)
    form = NoticeDecisionForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")

        def act(d):
            if action == "approve":
                services.notice_approve(notice=notice, actor=request.user,
                                        shown_from=d["shown_from"], shown_until=d["shown_until"])
            elif action == "reject":
                services.notice_reject(notice=notice, actor=request.user, reason=d["reason"])
            elif action == "withdraw":
                services.notice_withdraw(notice=notice, actor=request.user)

        if _apply(request, form, act, _("Đã cập nhật.")):
            return redirect("engagement_admin:notice", pk)
    services.personal_data_view(user=request.user, obj=notice, purpose="duyệt thông báo")
    return _render(request, "notice_detail.html", {"notice": notice, "form": form,
                                                   "now": timezone.now()})


def notice_proof(request, pk):
    """A printable proof of what was shown, and when, for the organisation."""
    notice = _get(request, Notice, pk)
    if notice.status != NoticeStatus.APPROVED:
        raise PermissionDenied
    return TemplateResponse(request, "engagement/admin/notice_proof.html", {
        "notice": notice, "printed_at": timezone.now(),
    })


# --- Information requests --------------------------------------------------------------------


class InfoDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_l("Quyết định"), choices=[
        c for c in InfoRequestStatus.choices if c[0] != InfoRequestStatus.RECEIVED])
    reply = forms.CharField(label=_l("Nội dung trả lời"), widget=forms.Textarea, required=False)


def info_requests_index(request):
    qs = filter_for_user(InfoRequest.objects.select_related("portal__unit"), request.user)
    return _render(request, "info_requests_index.html", {"requests": qs[:500],
                                                         "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
def info_request_detail(request, pk):
    obj = _get(request, InfoRequest, pk)
    form = InfoDecisionForm(request.POST or None)
    if request.method == "POST" and _apply(
        request, form,
        lambda d: services.info_request_decide(request=obj, actor=request.user,
                                               status=d["status"], reply=d["reply"]),
        _("Đã cập nhật."),
    ):
        return redirect("engagement_admin:info_request", pk)
    services.personal_data_view(user=request.user, obj=obj, purpose="giải quyết yêu cầu")
    return _render(request, "info_request_detail.html", {"obj": obj, "form": form})


# --- Personal data requests ---------------------------------------------------------------------


class PersonForm(forms.Form):
    email = forms.EmailField(label=_l("Thư điện tử của người yêu cầu"))
    action = forms.ChoiceField(choices=[("export", _l("Xuất dữ liệu")), ("erase", _l("Xóa dữ liệu"))],
                               label=_l("Yêu cầu"))


@require_http_methods(["GET", "POST"])
def personal_data(request):
    """Export or erase one person's data: network overseers only (the data
    spans portals)."""
    if portal_ids_for_user(request.user) is not None:
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if form.cleaned_data["action"] == "export":
            data = services.personal_data_export(email=email)
            response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
            response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
            return response
        n = services.personal_data_erase(email=email)
        messages.success(request, _("Đã xóa dữ liệu cá nhân trong %(n)s hồ sơ.") % {"n": n})
        return redirect(reverse("engagement_admin:personal_data"))
    return _render(request, "form.html", {"form": form, "title": _("Yêu cầu về dữ liệu cá nhân")})


