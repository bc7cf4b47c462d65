"""Admin screens for units, boards and portal-owned snippets."""

from __future__ import annotations

import inspect

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from cong.core.errors import ApplicationError, ApplicationErrorFormMixin

from .. import services
from ..forms import PortalCreateForm, PortalScopedForm, UnitForm, UnitMergeForm
from ..models import BoardMembership, Official, PortalPathRedirect, Unit
from ..permissions import can_access_portal, can_manage_units, filter_for_user

# --- Scoping: one portal's board sees only its own rows ---------------------------


def _portal_of(obj, portal_field):
    for part in portal_field.split("__"):
        obj = getattr(obj, part)
    return obj


def _scoped(view_class, portal_field):
    """Subclass a Wagtail view so it refuses objects of other portals."""

    attrs = {}
    if hasattr(view_class, "get_object"):

        def get_object(self, *args, **kwargs):
            obj = super(scoped, self).get_object(*args, **kwargs)
            if obj is not None and not can_access_portal(
                self.request.user, _portal_of(obj, portal_field)
            ):
                raise Http404
            return obj

        attrs["get_object"] = get_object
    if hasattr(view_class, "get_base_queryset"):

        def get_base_queryset(self):
            return filter_for_user(super(scoped, self).get_base_queryset(), self.request.user, portal_field)

        attrs["get_base_queryset"] = get_base_queryset
    if hasattr(view_class, "get_object_list"):

        def get_object_list(self):
            return filter_for_user(
                super(scoped, self).get_object_list(), self.request.user, portal_field
            )

        attrs["get_object_list"] = get_object_list
    scoped = type(f"PortalScoped{view_class.__name__}", (view_class,), attrs)
    return scoped


class _ScopedViewSetMixin:
    """Wrap every view class of a viewset with the portal check."""

    portal_field = "portal"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in dir(type(self)):
            if not name.endswith("_view_class"):
                continue
            static = inspect.getattr_static(type(self), name)
            if isinstance(static, type):
                setattr(self, name, _scoped(static, self.portal_field))

    def get_queryset(self, request):
        return filter_for_user(self.model._default_manager.all(), request.user, self.portal_field)


class PortalScopedChooserViewSet(_ScopedViewSetMixin, SnippetChooserViewSet):
    """The chooser of a portal-owned snippet: only the user's portals' rows."""


class PortalScopedSnippetViewSet(_ScopedViewSetMixin, SnippetViewSet):
    """A snippet owned by one portal (a ``portal`` foreign key)."""

    chooser_viewset_class = PortalScopedChooserViewSet

    def get_form_class(self, for_update=False):
        handler = self.get_edit_handler()
        return handler.get_form_class()


class PortalScopedModelViewSet(_ScopedViewSetMixin, ModelViewSet):
    """A model viewset of portal-owned rows: a board sees its own portals' rows only."""


class OfficialViewSet(PortalScopedSnippetViewSet):
    model = Official
    icon = "user"
    menu_label = _("Lãnh đạo, cán bộ đầu mối")
    list_display = ["name", "title", "role", "portal"]
    list_filter = ["role"]
    search_fields = ["name", "title"]
    edit_handler = ObjectList(Official.panels, base_form_class=PortalScopedForm)


class PortalPathRedirectViewSet(PortalScopedModelViewSet):
    model = PortalPathRedirect
    name = "units_redirect"
    url_prefix = "chuyen-huong-sap-nhap"
    icon = "redirect"
    menu_label = _("Chuyển hướng sau sáp nhập")
    add_to_admin_menu = False
    list_display = ["old_path", "portal", "target_page", "target_url"]
    panels = [FieldPanel("portal"), FieldPanel("old_path"), FieldPanel("target_page"), FieldPanel("target_url")]
    edit_handler = ObjectList(panels, base_form_class=PortalScopedForm)


class BoardMembershipViewSet(PortalScopedModelViewSet):
    """Board members are appointed and dismissed through services, so that the
    Wagtail groups (and the account) follow the decision."""

    model = BoardMembership
    name = "units_board"
    url_prefix = "ban-bien-tap"
    icon = "group"
    menu_label = _("Ban Biên tập")
    add_to_admin_menu = True
    menu_order = 810
    list_display = ["user", "role", "portal", "decision_number", "decision_date", "ended_on"]
    list_filter = ["role", "portal"]
    panels = [
        FieldPanel("portal"), FieldPanel("user"), FieldPanel("role"),
        FieldPanel("decision_number"), FieldPanel("decision_date"), FieldPanel("started_on"),
    ]
    edit_handler = ObjectList(panels, base_form_class=PortalScopedForm)

    class CreateView(ApplicationErrorFormMixin, generic.CreateView):
        def save_instance(self):
            d = self.form.cleaned_data
            return services.board_member_appoint(
                portal=d["portal"], user=d["user"], role=d["role"],
                decision_number=d["decision_number"], decision_date=d["decision_date"],
                started_on=d.get("started_on"), actor=self.request.user,
            )

    class DeleteView(generic.DeleteView):
        """"Deleting" a membership ends it: history of appointments is kept."""

        def delete_action(self):
            services.board_member_dismiss(membership=self.object, actor=self.request.user)

    add_view_class = CreateView
    delete_view_class = DeleteView


# --- Units ----------------------------------------------------------------------


class UnitCreateView(ApplicationErrorFormMixin, generic.CreateView):
    def save_instance(self):
        d = dict(self.form.cleaned_data)
        hostname = d.pop("hostname", "") or None
        return services.unit_create(
            name=d.pop("name"), unit_type=d.pop("unit_type"), code=d.pop("code"),
            parent=d.pop("parent"), hostname=hostname, actor=self.request.user, **d,
        )


class UnitEditView(ApplicationErrorFormMixin, generic.EditView):
    def save_instance(self):
        d = dict(self.form.cleaned_data)
        d.pop("code", None)
        hostname = d.pop("hostname", "") or None
        unit = Unit.objects.get(pk=self.object.pk)
        return services.unit_update(unit=unit, hostname=hostname, actor=self.request.user, **d)

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        unit = self.object
        if unit.active:
            buttons.append(Button(_("Sáp nhập"), url=reverse("units_unit:merge", args=[unit.pk]), icon_name="arrow-right", priority=30))
            buttons.append(Button(_("Ngừng hoạt động"), url=reverse("units_unit:deactivate", args=[unit.pk]), icon_name="cross", priority=31))
            if not hasattr(unit, "portal"):
                buttons.append(Button(_("Tạo cổng"), url=reverse("units_unit:create_portal", args=[unit.pk]), icon_name="site", priority=32))
        return buttons


class UnitDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        unit = get_object_or_404(Unit, pk=kwargs.get("pk"))
        if services.unit_holds_content(unit):
            messages.error(
                request,
                _("%(name)s đã có cổng thông tin hoặc dữ liệu nên không thể xóa; "
                  "hãy chuyển sang ngừng hoạt động hoặc sáp nhập vào đơn vị khác.")
                % {"name": unit.name},
            )
            return redirect("units_unit:edit", unit.pk)
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        services.unit_delete(unit=self.object, actor=self.request.user)


def _require_unit_manager(request):
    if not can_manage_units(request.user):
        raise PermissionDenied


def unit_merge_view(request, pk):
    _require_unit_manager(request)
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitMergeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_merge(
                unit=unit, into=form.cleaned_data["successor"],
                merged_on=form.cleaned_data["merged_on"], actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error("successor", exc.message)
        else:
            messages.success(request, _("Đã sáp nhập %(a)s vào %(b)s.") % {"a": unit.name, "b": unit.successor.name})
            return redirect("units_unit:edit", unit.pk)
    return TemplateResponse(request, "units/admin/unit_action.html", {
        "unit": unit, "form": form, "title": _("Sáp nhập đơn vị"),
        "explanation": _("Đơn vị sẽ ngừng hoạt động. Cổng của đơn vị được giữ làm lưu trữ; "
                         "tên miền của cổng chuyển hướng vĩnh viễn về cổng của đơn vị nhận sáp nhập."),
        "submit": _("Sáp nhập"),
    })


def unit_deactivate_view(request, pk):
    _require_unit_manager(request)
    unit = get_object_or_404(Unit, pk=pk)
    if request.method == "POST":
        services.unit_deactivate(unit=unit, actor=request.user)
        messages.success(request, _("%(name)s đã ngừng hoạt động.") % {"name": unit.name})
        return redirect("units_unit:edit", unit.pk)
    return TemplateResponse(request, "units/admin/unit_action.html", {
        "unit": unit, "form": None, "title": _("Ngừng hoạt động"),
        "explanation": _("Đơn vị không còn hiện trong danh sách cổng; nội dung vẫn được giữ nguyên."),
        "submit": _("Ngừng hoạt động"),
    })


def unit_create_portal_view(request, pk):
    _require_unit_manager(request)
    unit = get_object_or_404(Unit, pk=pk)
    form = PortalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_create(unit=unit, hostname=form.cleaned_data["hostname"], actor=request.user)
        except ApplicationError as exc:
            form.add_error("hostname" if exc.field == "hostname" else None, exc.message)
        else:
            messages.success(request, _("Đã tạo cổng cho %(name)s.") % {"name": unit.name})
            return redirect("units_unit:edit", unit.pk)
    return TemplateResponse(request, "units/admin/unit_action.html", {
        "unit": unit, "form": form, "title": _("Tạo cổng thông tin"),
        "explanation": _("Tạo trang, trang chủ với các chuyên mục chuẩn, thư mục tư liệu và các nhóm Ban Biên tập."),
        "submit": _("Tạo cổng"),
    })


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "units_unit"
    url_prefix = "units"
    icon = "group"
    menu_label = _("Đơn vị")
    add_to_admin_menu = True
    menu_order = 800
    list_display = [
        "name", "code", Column("unit_type", label=_("Loại")), "parent",
        BooleanColumn("active", label=_("Hoạt động")), "successor",
    ]
    list_filter = ["unit_type", "active"]
    search_fields = ["name", "short_name", "code"]
    edit_handler = ObjectList(
        [FieldPanel(f) for f in UnitForm.Meta.fields] + [FieldPanel("hostname")],
        base_form_class=UnitForm,
    )
    add_view_class = UnitCreateView
    edit_view_class = UnitEditView
    delete_view_class = UnitDeleteView

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("<int:pk>/merge/", unit_merge_view, name="merge"), path("<int:pk>/deactivate/", unit_deactivate_view, name="deactivate"), path("<int:pk>/create-portal/", unit_create_portal_view, name="create_portal")]
