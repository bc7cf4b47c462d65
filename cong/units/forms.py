from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Unit
from .permissions import portals_for_user


class UnitForm(WagtailAdminModelForm):
    hostname = forms.CharField(
        label=_("tên miền của cổng"), required=False,
        help_text=_("Ví dụ: stttt.binhphuoc.gov.vn. Để trống nếu đơn vị chưa có cổng."),
    )

    class Meta:
        model = Unit
        fields = [
            "code", "name", "short_name", "unit_type", "parent", "official_code",
            "address", "phone", "fax", "email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["code"].disabled = True
            portal = getattr(self.instance, "portal", None) if hasattr(self.instance, "portal") else None
            if portal is not None:
                self.fields["hostname"].initial = portal.site.hostname
        self.fields["parent"].queryset = parents


class UnitMergeForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("sáp nhập vào đơn vị"), queryset=Unit.objects.none(),
    )
    merged_on = forms.DateField(label=_("ngày sáp nhập"), required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Unit.objects.filter(active=True).exclude(pk=unit.pk)


class PortalCreateForm(forms.Form):
    hostname = forms.CharField(label=_("tên miền của cổng"), max_length=253)


class PortalScopedForm(WagtailAdminModelForm):
    """A form for portal-owned rows: the portal choice is limited to the
    portals the user works on."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "portal" in self.fields and for_user is not None:
            portals = portals_for_user(for_user)
            self.fields["portal"].queryset = portals
            if portals.count() == 1 and not self.instance.pk:
                self.fields["portal"].initial = portals.first().pk
