"""The public form to report violating or false information on a portal."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cong.core import abuse
from cong.units.middleware import current_portal

from .. import services
from ..audit import record
from ..choices import AuditAction
from ..forms import PublicReportForm


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request):
    portal = current_portal(request)
    if portal is None:
        raise Http404
    form = PublicReportForm(request.POST or None)
    if request.method == "POST":
        if not abuse.check_rate(request, "security-report", "5/h"):
            record(AuditAction.REFUSED, request=request, portal=portal, object_type="security.case",
                   message="report rate limit")
            return abuse.too_many_requests(request, 3600)
        if not abuse.check_pow(request.POST.get(abuse.POW_FIELD)):
            form.add_error(None, _("Không xác minh được biểu mẫu (chống gửi tự động). Vui lòng gửi lại."))
        elif form.is_valid():
            d = form.cleaned_data
            case = services.case_report(
                portal=portal, kind=d["kind"], from_public=True,
                title=_("Phản ánh: %(url)s") % {"url": d["url"][:200]},
                description=d["description"], url=d["url"],
                reporter_name=d["reporter_name"], reporter_email=d["reporter_email"],
                reporter_phone=d["reporter_phone"],
            )
            return render(request, "security/report_done.html", {"case": case})
    return render(request, "security/report_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
