from django import forms
from django.utils.translation import gettext_lazy as _

from cong.units.forms import PortalScopedForm

from .crypto import mask

SECRET_FIELDS = ("app_secret", "access_token", "refresh_token")


def _secret(label):
    return forms.CharField(
        label=label, required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class ChannelForm(PortalScopedForm):
    """Secrets are write-only: the form shows their last characters at most
    and keeps the stored value when left blank."""

    new_app_secret = _secret(_("Khóa bí mật ứng dụng (App Secret)"))
    new_access_token = _secret(_("Mã truy cập (access token / page token)"))
    new_refresh_token = _secret(_("Mã làm mới (refresh token, Zalo)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            current = getattr(self.instance, name, "") if self.instance.pk else ""
            self.fields[f"new_{name}"].help_text = (
                _("Đang lưu: %(masked)s. Để trống để giữ nguyên.") % {"masked": mask(current)}
                if current else _("Chưa có.")
            )

    def secrets(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"new_{name}", "") for name in SECRET_FIELDS}
