"""Incident and violating-information cases in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cong.core.errors import ApplicationError
from cong.units.choices import LEADER_ROLES
from cong.units.models import PortalGroup
from cong.units.permissions import is_network_overseer, portals_for_user

from .. import services
from ..forms import CaseStepForm, StaffCaseForm
from ..selectors import cases_for_user


def can_process(user, portal) -> bool:
    """Assessing and acting (a takedown unpublishes) is for the portal's
    board leaders, like publishing."""
    if is_network_overseer(user):
        return True
    return PortalGroup.objects.filter(portal=portal, role__in=LEADER_ROLES, group__user=user).exists()


def case_index(request):
    rows = cases_for_user(request.user)
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(request, "security/case_index.html", {
        "page_title": _("Sự cố, thông tin vi phạm"), "header_icon": "warning", "rows": rows[:500],
        "status": status,
    })


def case_create(request):
    portals = portals_for_user(request.user).select_related("unit")
    form = StaffCaseForm(request.POST or None, portals=portals)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = services.case_report(
            portal=d["portal"], kind=d["kind"], title=d["title"], description=d["description"],
            url=d["url"], actor=request.user, responsible=request.user,
        )
        messages.success(request, _("Đã ghi nhận hồ sơ."))
        return redirect("security_case_detail", case.pk)
    return render(request, "security/case_create.html", {
        "page_title": _("Ghi nhận sự cố"), "header_icon": "warning", "form": form,
    })


def case_detail(request, pk):
    case = get_object_or_404(cases_for_user(request.user), pk=pk)
    users = get_user_model().objects.filter(
        is_active=True, board_memberships__portal=case.portal, board_memberships__ended_on__isnull=True
    ).distinct()
    form = CaseStepForm(request.POST or None, users=users)
    if request.method == "POST":
        if not can_process(request.user, case.portal):
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d["step"] == "assess":
                    services.case_assess(case=case, assessment=d["assessment"],
                                         responsible=d["responsible"], actor=request.user)
                elif d["step"] == "act":
                    services.case_act(case=case, action=d["action"], reason=d["action_reason"],
                                      actor=request.user)
                elif d["step"] == "corrected":
                    services.case_correction_done(case=case, actor=request.user)
                else:
                    services.case_close(case=case, actor=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã cập nhật hồ sơ."))
                return redirect("security_case_detail", case.pk)
    return render(request, "security/case_detail.html", {
        "page_title": case.title, "header_icon": "warning", "case": case, "form": form,
        "can_process": can_process(request.user, case.portal),
    }, status=400 if request.method == "POST" else 200)
