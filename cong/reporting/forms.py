from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cong.units.models import Unit

from .models import ReportKind


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=[c for c in ReportKind.choices if c[0] != "adhoc"])
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quý"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    until = forms.DateField(label=_("Số liệu tính đến ngày"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    output = forms.ChoiceField(label=_("Định dạng"), choices=[("docx", "DOCX"), ("pdf", "PDF"), ("json", "JSON")])

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1


class SubmissionForm(forms.Form):
    narrative = forms.CharField(
        label=_("Đánh giá, kiến nghị của đơn vị"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Mỗi đoạn một dòng; đưa vào phần III của báo cáo."),
    )


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quý"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    period_start = forms.DateField(label=_("Số liệu từ ngày (đột xuất)"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Số liệu đến ngày (đột xuất)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    note = forms.CharField(label=_("Nội dung yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("Hạn gửi"), widget=forms.DateInput(attrs={"type": "date"}))
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phải báo cáo"), queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units if units is not None else Unit.objects.none()


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    file = forms.FileField(label=_("Tệp mẫu DOCX"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
