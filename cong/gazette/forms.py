"""The register's filter form (public pages, exports) and the intake form
of the admin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cong.core.errors import ApplicationError
from cong.units.forms import PortalScopedForm

from . import services
from .models import LegalDocument, ValidityStatus
from .selectors import Filters

NORMATIVE_CHOICES = [("", _("Tất cả")), ("1", _("Văn bản QPPL")), ("0", _("Văn bản khác"))]


class RegisterForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200)
    loai = forms.CharField(label=_("Loại văn bản"), required=False, max_length=64)
    co_quan = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=255)
    linh_vuc = forms.CharField(label=_("Lĩnh vực"), required=False, max_length=255)
    nguoi_ky = forms.CharField(label=_("Người ký"), required=False, max_length=255)
    nam = forms.IntegerField(label=_("Năm ban hành"), required=False, min_value=1945, max_value=2100)
    qppl = forms.ChoiceField(label=_("Loại"), required=False, choices=NORMATIVE_CHOICES)
    hieu_luc = forms.ChoiceField(
        label=_("Tình trạng hiệu lực"), required=False,
        choices=[("", _("Tất cả")), *ValidityStatus.choices],
    )
    ngay = forms.DateField(label=_("Hiệu lực vào ngày"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    pham_vi = forms.ChoiceField(
        label=_("Phạm vi"), required=False,
        choices=[("", _("Cổng này")), ("mang-luoi", _("Toàn bộ các cổng của tỉnh"))],
    )

    def filters(self, portal_id: int | None) -> Filters:
        d = self.cleaned_data if self.is_valid() else {}
        normative = {"1": True, "0": False}.get(d.get("qppl") or "")
        return Filters(
            q=d.get("q") or "", doc_type=d.get("loai") or "", issuer=d.get("co_quan") or "",
            field=d.get("linh_vuc") or "", signer=d.get("nguoi_ky") or "", year=d.get("nam"),
            normative=normative, status=d.get("hieu_luc") or "", on=d.get("ngay"), portal_id=portal_id,
        )

    def query_prefix(self, *, without: str = "") -> str:
        from urllib.parse import urlencode

        pairs = [(k, v) for k, v in self.data.items() if k not in ("trang", "sau", without) and v]
        return (urlencode(pairs) + "&") if pairs else ""


class LegalDocumentForm(PortalScopedForm):
    """Intake: the document's fields, its signed PDF and editable file. The
    rules and the files are checked here, so that an error is shown on the
    form and nothing is saved."""

    pdf_file = forms.FileField(label=_("Tệp PDF đã ký"), required=False)
    word_file = forms.FileField(label=_("Tệp DOC/DOCX"), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {k: cleaned.get(k) for k in services.FIELDS if k in cleaned}
        merged = {k: getattr(self.instance, k, None) for k in services.FIELDS}
        merged.update(data)
        try:
            services.document_check(merged, instance=self.instance if self.instance.pk else None)
        except ApplicationError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        for name in ("pdf_file", "word_file"):
            f = cleaned.get(name)
            if f:
                try:
                    services.file_read(f)
                except ApplicationError as exc:
                    self.add_error(name, exc.message)
        return cleaned

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in services.FIELDS if k in self.cleaned_data}

    def uploaded_files(self) -> list:
        return [f for f in (self.cleaned_data.get("pdf_file"), self.cleaned_data.get("word_file")) if f]

    class Meta:
        model = LegalDocument
        fields = [
            "portal", "number", "doc_type", "normative", "issuer_name", "issuer_unit", "signer",
            "signer_title", "issued_on", "effective_on", "expires_on", "field", "summary",
            "gazette_number", "gazette_date", "posted_at", "page",
        ]
