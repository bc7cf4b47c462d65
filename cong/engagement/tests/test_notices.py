"""Organisations' notices: submission with checked files, approval, display
for exactly the approved window, proof of posting, support case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cong.core.errors import ApplicationError
from cong.engagement import selectors, services
from cong.engagement.choices import NoticeStatus
from cong.engagement.models import Notice

A = "stttt.binhan.test"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fmt(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form_data(**kw):
    now = timezone.now()
    data = {
        "organisation": "Trường THPT Bình An", "category": "enrolment",
        "title": "Thông báo tuyển sinh lớp 10 năm học 2025-2026",
        "body": "Nhà trường thông báo tuyển sinh <script>x()</script>lớp 10.",
        "requested_start": fmt(now + dt.timedelta(hours=1)),
        "requested_end": fmt(now + dt.timedelta(days=10)), "name": "Ngô Thu",
        "email": "thu@thpt.test", "consent": "on",
    }
    data.update(kw)
    return data


def test_submission_refuses_mistyped_and_oversized_files(host_client, network, submit):
    web = host_client(A)
    bad = SimpleUploadedFile("thong-bao.pdf", b"\x89PNG\r\n\x1a\n not a pdf")
    r = submit(web, "/thong-bao/gui-thong-bao/", form_data(), files={"attachment": bad})
    assert r.status_code == 400 and "thong-bao.pdf" in r.content.decode()
    assert not Notice.objects.exists()
    big = SimpleUploadedFile("thong-bao.pdf", PDF + b"0" * (10 * 1024 * 1024))
    r = submit(web, "/thong-bao/gui-thong-bao/", form_data(), files={"attachment": big})
    assert r.status_code == 400 and not Notice.objects.exists()
    good = SimpleUploadedFile("thong-bao.pdf", PDF)
    r = submit(web, "/thong-bao/gui-thong-bao/", form_data(), files={"attachment": good})
    assert r.status_code == 200
    notice = Notice.objects.get()
    assert notice.tracking_code in r.content.decode()
    assert notice.files.count() == 1 and "<script>" not in notice.body
    assert notice.status == NoticeStatus.SUBMITTED
    # not shown before approval
    assert notice.title not in web.get("/thong-bao/").content.decode()


def _submitted(network, key="a", start=None, end=None):
    now = timezone.now()
    return services.notice_submit(
        portal=network.portals[key], organisation="Trung tâm Đấu giá tài sản",
        category="auction", title="Thông báo đấu giá quyền sử dụng đất",
        body="Tổ chức đấu giá lô đất số 5.", requested_start=start or now,
        requested_end=end or now + dt.timedelta(days=7), name="Lý Hạnh",
        phone="0909123456", consent=True,
    )[0]


def test_approved_notice_shows_for_exactly_its_window_and_expires(client, network, host_client):
    now = timezone.now()
    notice = _submitted(network)
    client.force_login(network.user("a", "bien_tap_vien"))
    start, end = now + dt.timedelta(hours=2), now + dt.timedelta(days=3)
    r = client.post(f"/admin/tuong-tac/thong-bao/{notice.pk}/", {
        "action": "approve", "shown_from": fmt(start), "shown_until": fmt(end)})
    assert r.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED
    s, e = notice.shown_from, notice.shown_until
    portal = network.portals["a"]
    assert notice not in selectors.notices_current(portal, s - dt.timedelta(seconds=1))
    assert notice in selectors.notices_current(portal, s)
    assert notice in selectors.notices_current(portal, e - dt.timedelta(seconds=1))
    assert notice not in selectors.notices_current(portal, e)
    assert notice not in selectors.notices_current(network.portals["b"], s)
    # not yet visible on the portal right now
    web = host_client(A)
    assert notice.title not in web.get("/thong-bao/").content.decode()
    assert web.get(f"/thong-bao/{notice.pk}/").status_code == 404
    # an approval starting now is visible now, and gone once its window ends
    live = _submitted(network)
    services.notice_approve(notice=live, actor=network.user("a", "truong_ban"))
    assert live.title in web.get("/thong-bao/").content.decode()
    assert web.get(f"/thong-bao/{live.pk}/").status_code == 200
    Notice.objects.filter(pk=live.pk).update(shown_until=timezone.now() - dt.timedelta(seconds=1))
    assert web.get(f"/thong-bao/{live.pk}/").status_code == 404


def test_proof_of_posting_keeps_what_was_shown(client, network):
    notice = _submitted(network)
    services.notice_approve(notice=notice, actor=network.user("a", "truong_ban"))
    Notice.objects.filter(pk=notice.pk).update(title="Tiêu đề sửa sau", body="Nội dung sửa sau")
    client.force_login(network.user("a", "thu_ky"))
    proof = client.get(f"/admin/tuong-tac/thong-bao/{notice.pk}/minh-chung/").content.decode()
    assert "Thông báo đấu giá quyền sử dụng đất" in proof and "Tổ chức đấu giá lô đất số 5." in proof
    assert "sửa sau" not in proof
    assert timezone.localtime(notice.shown_from).strftime("%H:%M %d/%m/%Y") in proof
    client.force_login(network.user("b", "truong_ban"))
    assert client.get(f"/admin/tuong-tac/thong-bao/{notice.pk}/minh-chung/").status_code == 404


def test_each_posted_notice_is_an_announcement_support_case(network):
    for _i in range(3):
        services.notice_approve(notice=_submitted(network), actor=network.user("a", "truong_ban"))
    rejected = _submitted(network)
    with pytest.raises(ApplicationError):
        services.notice_reject(notice=rejected, actor=network.user("a", "truong_ban"), reason="")
    services.notice_reject(notice=rejected, actor=network.user("a", "truong_ban"),
                           reason="Nội dung không thuộc phạm vi")
    today = timezone.localdate()
    counts = selectors.support_cases_count(network.units["a"], today, today)
    assert counts["announcement"] == 3 and counts["total"] == 3
    assert selectors.support_cases_count(network.units["b"], today, today)["total"] == 0


def test_another_portals_board_cannot_approve(network):
    notice = _submitted(network)
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=notice, actor=network.user("b", "truong_ban"))
