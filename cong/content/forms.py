from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from cong.core.uploads import UploadRejected, check_upload

from .choices import ItemType


class ItemFilterForm(forms.Form):
    """Filters of a section list and of the search page (GET)."""

    loai = forms.ChoiceField(
        label=_("Loại thông tin"), required=False,
        choices=[("", _("Tất cả"))] + [c for c in ItemType.choices if c[0] != "banner"],
    )
    chuyen_muc = forms.ChoiceField(label=_("Chuyên mục"), required=False)
    tu_ngay = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    den_ngay = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import category_choices

        self.fields["chuyen_muc"].choices = [("", _("Tất cả")), *category_choices()]

    def clean(self):
        data = super().clean()
        if data.get("tu_ngay") and data.get("den_ngay") and data["tu_ngay"] > data["den_ngay"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước “đến ngày”."))
        return data

    def query_prefix(self) -> str:
        """The filters as a query string prefix for pagination links."""
        if not self.is_valid():
            return ""
        params = {k: v for k, v in self.data.items() if k in self.fields and v}
        return urlencode(params) + "&" if params else ""


class SearchForm(ItemFilterForm):
    q = forms.CharField(label=_("Từ khóa"), max_length=200, required=False)
    pham_vi = forms.ChoiceField(
        label=_("Phạm vi"), required=False,
        choices=[("cong", _("Cổng này")), ("mang-luoi", _("Toàn bộ các cổng của tỉnh"))],
    )
    field_order = ["q", "pham_vi", "loai", "chuyen_muc", "tu_ngay", "den_ngay"]


class CongImageForm(BaseImageForm):
    """Wagtail's image form, with the bytes checked and alt text required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = True
            self.fields["description"].label = _("Văn bản thay thế (mô tả ảnh cho người khiếm thị)")

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and hasattr(f, "size") and not getattr(f, "_committed", False):
            from django.conf import settings

            try:
                check_upload(
                    f, allowed=set(settings.WAGTAILIMAGES_EXTENSIONS),
                    max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
                )
            except UploadRejected as exc:
                raise forms.ValidationError(exc.message) from exc
        return f


class CongDocumentForm(BaseDocumentForm):
    """Wagtail's document form, with the bytes checked against the name."""

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and hasattr(f, "size") and not getattr(f, "_committed", False):
            from django.conf import settings

            try:
                check_upload(
                    f, allowed=set(settings.WAGTAILDOCS_EXTENSIONS),
                    max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
                )
            except UploadRejected as exc:
                raise forms.ValidationError(exc.message) from exc
        return f
