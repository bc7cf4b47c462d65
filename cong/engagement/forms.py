"""Public forms. Consent boxes start unticked; the services enforce the rules."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import NoticeCategory, QuestionKind
from .services import CONSENT_COMMENT, CONSENT_INFO, CONSENT_NOTICE, CONSENT_QUESTION


class _Submission(forms.Form):
    """A hidden key per rendered form: replaying the POST is recognised."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


class QuestionForm(_Submission):
    kind = forms.ChoiceField(label=_("Loại"), choices=QuestionKind.choices)
    topic = forms.CharField(label=_("Chủ đề"), max_length=255)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=10_000)
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử (để nhận thông báo trả lời)"), required=False)
    consent = forms.BooleanField(label=CONSENT_QUESTION, required=False)
    publish_consent = forms.BooleanField(
        label=_("Tôi đồng ý để câu hỏi và câu trả lời được công khai trên cổng "
                "(đã lược bỏ họ tên và thông tin liên hệ)."),
        required=False,
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã tra cứu"), max_length=16)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("Rất hài lòng")), (4, _("Hài lòng")), (3, _("Bình thường")),
                 (2, _("Chưa hài lòng")), (1, _("Không hài lòng"))],
    )


class CommentForm(_Submission):
    article = forms.TypedChoiceField(label=_("Góp ý cho"), coerce=int, required=False,
                                     empty_value=None)
    body = forms.CharField(label=_("Nội dung góp ý"), widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=10_000)
    name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Cơ quan, tổ chức"), max_length=255, required=False)
    email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False)
    consent = forms.BooleanField(label=CONSENT_COMMENT, required=False)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", _("Toàn bộ dự thảo"))] + [
            (a.pk, str(a)) for a in consultation.articles.all()
        ]


class NoticeForm(_Submission):
    organisation = forms.CharField(label=_("Tên tổ chức"), max_length=255)
    category = forms.ChoiceField(label=_("Loại thông báo"), choices=NoticeCategory.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=20_000)
    requested_start = forms.DateTimeField(
        label=_("Đăng từ"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    requested_end = forms.DateTimeField(
        label=_("Đăng đến"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    attachment = forms.FileField(label=_("Tệp đính kèm (PDF, DOCX, ảnh; tối đa 10 MB)"),
                                 required=False)
    name = forms.CharField(label=_("Người liên hệ"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=32, required=False)
    consent = forms.BooleanField(label=CONSENT_NOTICE, required=False)


class InfoRequestForm(_Submission):
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    identity_number = forms.CharField(label=_("Số căn cước, hộ chiếu"), max_length=32)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    information = forms.CharField(label=_("Thông tin cần cung cấp"),
                                  widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    purpose = forms.CharField(label=_("Mục đích yêu cầu"),
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    consent = forms.BooleanField(label=CONSENT_INFO, required=False)
