"""The access-to-information section: the disclosure list, the focal
contact, the request form with its 3 and 15 working-day timers, tracking."""

from __future__ import annotations

import datetime as dt

from cong.core.calendar import calendar_changed
from cong.core.models import CalendarDay
from cong.engagement import services
from cong.engagement.models import DisclosureItem, InfoRequest
from cong.engagement.tests.conftest import local
from cong.units.models import Official

A = "stttt.binhan.test"


def test_section_lists_disclosures_and_the_focal_contact(host_client, network):
    DisclosureItem.objects.create(portal=network.portals["a"], name="Kế hoạch chuyển đổi số 2025",
                                  number="12/KH-STTTT", created_on=dt.date(2025, 1, 6),
                                  form="Đăng trên cổng", timing="Trong 5 ngày làm việc",
                                  link="https://stttt.binhan.test/van-ban/kh-12")
    DisclosureItem.objects.create(portal=network.portals["b"], name="Kế hoạch y tế", form="Niêm yết")
    Official.objects.create(portal=network.portals["a"], role="contact", name="Bùi Quang",
                            title="Chánh Văn phòng", phone="0236 3888 999")
    html = host_client(A).get("/tiep-can-thong-tin/").content.decode()
    assert "Kế hoạch chuyển đổi số 2025" in html and "12/KH-STTTT" in html
    assert "Kế hoạch y tế" not in html
    assert "Bùi Quang" in html and "/tiep-can-thong-tin/yeu-cau/" in html


def test_request_gets_3_and_15_working_day_timers_and_can_be_tracked(
    host_client, network, submit, client,
):
    web = host_client(A)
    r = submit(web, "/tiep-can-thong-tin/yeu-cau/", {
        "name": "Hà Vy", "identity_number": "001203004567", "email": "vy@example.test",
        "information": "Quyết định phê duyệt dự án đường tỉnh 602",
        "purpose": "Tìm hiểu phương án bồi thường", "consent": "on",
    })
    assert r.status_code == 200
    req = InfoRequest.objects.get()
    assert req.tracking_code in r.content.decode()
    look = web.get("/tiep-can-thong-tin/tra-cuu/", {"code": req.tracking_code}).content.decode()
    assert "Mới tiếp nhận" in look and "001203004567" not in look and "Hà Vy" not in look
    client.force_login(network.user("a", "bien_tap_vien"))
    client.post(f"/admin/tuong-tac/yeu-cau-thong-tin/{req.pk}/", {"status": "accepted"})
    r = client.post(f"/admin/tuong-tac/yeu-cau-thong-tin/{req.pk}/", {"status": "provided", "reply": ""})
    assert "Ghi nội dung trả lời" in r.content.decode()
    client.post(f"/admin/tuong-tac/yeu-cau-thong-tin/{req.pk}/",
                {"status": "provided", "reply": "Gửi kèm bản sao quyết định."})
    req.refresh_from_db()
    assert req.status == "provided" and req.closed_at and req.accepted_at
    client.force_login(network.user("b", "bien_tap_vien"))
    assert client.get(f"/admin/tuong-tac/yeu-cau-thong-tin/{req.pk}/").status_code == 404


def test_timers_follow_the_calendar_across_tet_and_declared_days(network):
    req, _ = services.info_request_submit(
        portal=network.portals["a"], name="Hà Vy", identity_number="001203004567",
        information="Danh sách dự án", purpose="Nghiên cứu", phone="0901000000", consent=True,
        received_at=local(2025, 1, 24, 15),
    )
    assert req.accept_due_on == dt.date(2025, 2, 5)
    assert req.provide_due_on == dt.date(2025, 2, 21)
    # the province declares an extra day off: the timers move with it
    CalendarDay.objects.create(date=dt.date(2025, 2, 3), kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ bù")
    calendar_changed()
    req2, _ = services.info_request_submit(
        portal=network.portals["a"], name="Hà Vy", identity_number="001203004567",
        information="Danh sách dự án", purpose="Nghiên cứu", phone="0901000000", consent=True,
        received_at=local(2025, 1, 24, 15),
    )
    assert req2.accept_due_on == dt.date(2025, 2, 6)


def test_bad_identity_number_is_refused(host_client, network, submit):
    r = submit(host_client(A), "/tiep-can-thong-tin/yeu-cau/", {
        "name": "Hà Vy", "identity_number": "<b>1</b>", "email": "vy@example.test",
        "information": "X", "purpose": "Y", "consent": "on",
    })
    assert r.status_code == 400 and not InfoRequest.objects.exists()
