from django import forms
from django.utils.translation import gettext_lazy as _

from cong.core.html import text_only

from .choices import PUBLIC_CASE_KINDS, CaseAction, CaseKind


class PublicReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại thông tin"),
        choices=[(k.value, k.label) for k in PUBLIC_CASE_KINDS],
    )
    url = forms.URLField(label=_("Địa chỉ trang có thông tin"), max_length=1000, assume_scheme="https")
    description = forms.CharField(label=_("Nội dung phản ánh"), widget=forms.Textarea, max_length=5000)
    reporter_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    reporter_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    reporter_phone = forms.RegexField(
        label=_("Điện thoại"), regex=r"^[0-9 +().-]{6,20}$", required=False, max_length=20,
        error_messages={"invalid": _("Số điện thoại không hợp lệ.")},
    )
    consent = forms.BooleanField(
        label=_("Tôi đồng ý để Ban Biên tập xử lý thông tin cá nhân trên để giải quyết phản ánh này."),
    )

    def clean_description(self):
        return text_only(self.cleaned_data["description"])

    def clean_reporter_name(self):
        return text_only(self.cleaned_data["reporter_name"])

    def clean(self):
        data = super().clean()
        if not data.get("reporter_email") and not data.get("reporter_phone"):
            raise forms.ValidationError(_("Cho biết thư điện tử hoặc số điện thoại để chúng tôi trả lời."))
        return data


class StaffCaseForm(forms.Form):
    portal = forms.ModelChoiceField(label=_("Cổng"), queryset=None)
    kind = forms.ChoiceField(label=_("Loại"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea)
    url = forms.CharField(label=_("Địa chỉ liên quan"), max_length=1000, required=False)

    def __init__(self, *args, portals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portal"].queryset = portals


class CaseStepForm(forms.Form):
    step = forms.ChoiceField(choices=[("assess", "assess"), ("act", "act"), ("corrected", "corrected"),
                                      ("close", "close")])
    assessment = forms.CharField(label=_("Đánh giá"), widget=forms.Textarea, required=False)
    responsible = forms.ModelChoiceField(label=_("Người chịu trách nhiệm"), queryset=None, required=False)
    action = forms.ChoiceField(label=_("Biện pháp"), choices=[("", "—"), *CaseAction.choices], required=False)
    action_reason = forms.CharField(label=_("Lý do, nội dung xử lý"), widget=forms.Textarea, required=False)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = users
