"""The audit log in the admin: search, keyset pages, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cong.units.permissions import portals_for_user

from ..audit import record
from ..audit_archive import archive_rows, archive_search
from ..choices import AuditAction
from ..models import AuditArchive
from ..selectors import AuditFilter, audit_events, audit_iter, audit_page, can_view_audit

EXPORT_MAX_ROWS = 1_000_000
ARCHIVE_PAGE = 200


def _date(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filter(request) -> AuditFilter:
    g = request.GET
    portal = g.get("portal", "")
    return AuditFilter(
        q=g.get("q", "").strip()[:100], actor=g.get("actor", "").strip()[:150],
        action=g.get("action", "") if g.get("action", "") in AuditAction.values else "",
        object_type=g.get("object_type", "").strip()[:100],
        object_id=g.get("object_id", "").strip()[:64],
        date_from=_date(g.get("from", "")), date_to=_date(g.get("to", "")),
        portal=int(portal) if portal.isdigit() else None,
    )


def audit_index(request):
    if not can_view_audit(request.user):
        raise PermissionDenied
    flt = _filter(request)
    rows, cursor = audit_page(audit_events(request.user, flt), request.GET.get("after", ""))
    params = {k: v for k, v in request.GET.items() if k != "after" and v}
    search_archive = request.GET.get("archive") == "1"
    archived = archive_search(request.user, flt, limit=ARCHIVE_PAGE) if search_archive else []
    return render(request, "security/audit_index.html", {
        "page_title": _("Nhật ký quản trị"), "header_icon": "history",
        "rows": rows, "flt": flt, "actions": AuditAction.choices,
        "portals": portals_for_user(request.user).select_related("unit"),
        "next_url": "?" + urlencode({**params, "after": cursor}) if cursor else "",
        "export_url": "?" + urlencode({**params, "format": "csv"}),
        "first_url": "?" + urlencode(params),
        "is_first": not request.GET.get("after"),
        "search_archive": search_archive, "archived": archived, "archive_limit": ARCHIVE_PAGE,
        "archives": AuditArchive.objects.order_by("-start") if search_archive else [],
    })


class _Echo:
    def write(self, value):
        return value


def audit_export(request):
    if not can_view_audit(request.user):
        raise PermissionDenied
    flt = _filter(request)
    qs = audit_events(request.user, flt)
    record(AuditAction.EXPORT, request=request, object_type="security.auditevent",
           object_repr=_("Nhật ký quản trị"), changes=dict(request.GET.items()))
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"
        yield writer.writerow(["id", "at", "action", "actor", "ip", "portal_id", "object_type",
                               "object_id", "object", "message", "changes", "user_agent"])
        # the live entries, newest first, then the archived months (newest month first)
        events = itertools.chain(audit_iter(qs), archive_rows(request.user, flt))
        for n, e in enumerate(events):
            if n >= EXPORT_MAX_ROWS:
                return
            yield writer.writerow([
                e.pk, timezone.localtime(e.at).isoformat(), e.action, e.actor_name, e.ip or "",
                e.portal_id or "", e.object_type, e.object_id, e.object_repr, e.message,
                json.dumps(e.changes, ensure_ascii=False) if e.changes else "", e.user_agent,
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-quan-tri-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def audit_view(request):
    if request.GET.get("format") == "csv":
        return audit_export(request)
    return audit_index(request)
