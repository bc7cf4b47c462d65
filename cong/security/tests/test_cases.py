"""Incidents and violating information: the public form, the staff workflow
with working-day deadlines, takedown, correction, and portal isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cong.core.calendar import add_working_days
from cong.core.errors import ApplicationError
from cong.core.tests.test_abuse import solve
from cong.security import services
from cong.security.choices import AuditAction, CaseAction, CaseKind, CaseStatus
from cong.security.models import AuditEvent, Case
from cong.units.choices import BoardRole

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _form(client, **overrides):
    data = {
        "kind": CaseKind.FALSE_INFO, "url": "https://stttt.binhan.test/tin-tuc-su-kien/sai/",
        "description": "Bài viết ghi sai số liệu.", "reporter_name": "Nguyễn Văn An",
        "reporter_email": "an@example.vn", "reporter_phone": "", "consent": "on",
        "pow": solve(client.get("/-/pow/").json()),
    }
    data.update(overrides)
    return client.post("/phan-anh-vi-pham/", data)


def test_public_report_is_received_with_a_working_day_deadline(network, publish_item):
    page = publish_item(network.portals["a"], title="Tin có số liệu sai", slug="sai")
    client = Client(HTTP_HOST="stttt.binhan.test")
    form = client.get("/phan-anh-vi-pham/")
    assert form.status_code == 200
    assert b"<script>" not in form.content.replace(b'<script src="', b"")  # no inline script
    assert b'for="id_description"' in form.content
    response = _form(client)
    assert response.status_code == 200
    case = Case.objects.get(reporter_email="an@example.vn")
    assert case.portal == network.portals["a"] and case.from_public
    assert case.page_id == page.pk
    assert case.status == CaseStatus.RECEIVED
    assert case.due_on == add_working_days(timezone.localdate(), services.ASSESS_WORKING_DAYS)
    assert f"{case.due_on:%d/%m/%Y}".encode() in response.content
    assert AuditEvent.objects.filter(action=AuditAction.INCIDENT, object_id=str(case.pk)).exists()


def test_public_report_refuses_xss_robots_and_floods(network):
    client = Client(HTTP_HOST="syt.binhan.test")
    _form(client, description=XSS + "Nội dung thật", reporter_name=XSS + "Bình")
    case = Case.objects.get(portal=network.portals["b"])
    assert "<script" not in case.description and "onerror" not in case.description
    assert "Nội dung thật" in case.description
    assert "<" not in case.reporter_name
    # the case page in the admin escapes what remains
    admin = Client()
    admin.force_login(network.user("b", BoardRole.CHIEF))
    assert b"<script>alert" not in admin.get(reverse("security_case_detail", args=[case.pk])).content
    # opening a case shows the reporter's personal data: logged
    viewed = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEW, object_id=str(case.pk)).get()
    assert viewed.actor == network.user("b", BoardRole.CHIEF)
    # no proof of work: refused
    no_pow = _form(Client(HTTP_HOST="syt.binhan.test"), pow="")
    assert no_pow.status_code == 400
    # a flood of reports from one client: HTTP 429 and logged
    flood = Client(HTTP_HOST="syt.binhan.test", REMOTE_ADDR="198.51.100.5")
    codes = [_form(flood, reporter_email=f"x{i}@example.vn").status_code for i in range(6)]
    assert codes[-1] == 429
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED, message="report rate limit").exists()


def test_takedown_unpublishes_at_once_and_is_logged(network, publish_item):
    chief = network.user("a", BoardRole.CHIEF)
    page = publish_item(network.portals["a"], title="Thông tin vi phạm", slug="vi-pham")
    case = services.case_report(portal=network.portals["a"], kind=CaseKind.VIOLATION, title="Vi phạm",
                                description="…", page=page, actor=chief)
    client = Client()
    client.force_login(chief)
    url = reverse("security_case_detail", args=[case.pk])
    # steps cannot be skipped
    skipped = client.post(url, {"step": "act", "action": "takedown", "action_reason": "Sai"})
    assert skipped.status_code == 400
    page.refresh_from_db()
    assert page.live
    assert client.post(url, {"step": "assess", "assessment": "Vi phạm rõ ràng",
                             "responsible": chief.pk}).status_code == 302
    assert client.post(url, {"step": "act", "action": "takedown",
                             "action_reason": "Thông tin vi phạm pháp luật"}).status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert AuditEvent.objects.filter(action=AuditAction.TAKEDOWN, object_id=str(page.pk), actor=chief).exists()
    assert AuditEvent.objects.filter(action=AuditAction.UNPUBLISH, object_id=str(page.pk)).exists()
    assert client.post(url, {"step": "close"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None


def test_correction_is_due_in_five_working_days_and_closes_only_when_done(network):
    portal = network.portals["b"]
    case = services.case_report(portal=portal, kind=CaseKind.FALSE_INFO, title="Sai", description="…")
    services.case_assess(case=case, assessment="Sai số liệu")
    with pytest.raises(ApplicationError):
        services.case_act(case=case, action=CaseAction.KEEP, reason="")
    services.case_act(case=case, action=CaseAction.CORRECT, reason="Đính chính số liệu")
    assert case.correction_due_on == add_working_days(timezone.localdate(), 5)
    with pytest.raises(ApplicationError):
        services.case_close(case=case)
    services.case_correction_done(case=case)
    services.case_close(case=case)
    assert case.status == CaseStatus.CLOSED


def test_keep_needs_a_reason_and_overdue_cases_show(network):
    case = services.case_report(portal=network.portals["a"], kind=CaseKind.OUTAGE, title="Mất kết nối",
                                description="Cổng không truy cập được 20 phút")
    assert case.due_on == add_working_days(timezone.localdate(), services.INCIDENT_WORKING_DAYS)
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.is_overdue
    client = Client()
    client.force_login(network.user("a", BoardRole.EDITOR))
    assert "quá hạn" in client.get(reverse("security_cases")).content.decode()


def test_staff_enter_incidents_and_boards_see_only_their_portal(network):
    editor = network.user("a", BoardRole.EDITOR)
    client = Client()
    client.force_login(editor)
    response = client.post(reverse("security_case_create"), {
        "portal": network.portals["a"].pk, "kind": CaseKind.DEFACEMENT,
        "title": "Trang chủ bị thay giao diện", "description": "Phát hiện lúc 7 giờ",
    })
    assert response.status_code == 302
    case = Case.objects.get(title="Trang chủ bị thay giao diện")
    assert case.responsible == editor
    # an editor may not post for another portal
    refused = client.post(reverse("security_case_create"), {
        "portal": network.portals["b"].pk, "kind": CaseKind.OUTAGE, "title": "Khác", "description": "…"})
    assert refused.status_code == 200 and not Case.objects.filter(title="Khác").exists()
    # an editor sees the case but may not decide it (a takedown is for leaders)
    assert client.post(reverse("security_case_detail", args=[case.pk]),
                       {"step": "assess", "assessment": "x"}).status_code in (302, 403)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    # another portal's board does not see it at all
    other = Client()
    other.force_login(network.user("b", BoardRole.CHIEF))
    assert other.get(reverse("security_case_detail", args=[case.pk])).status_code == 404
    assert "Trang chủ bị thay giao diện" not in other.get(reverse("security_cases")).content.decode()
