"""Personal data: minimum collected, verifiable consent, retention, export
and erasure on request, and access only through board roles."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from cong.core.scheduler import run_due
from cong.engagement import services
from cong.engagement.models import InfoRequest, Question


def _question(network, **kw):
    fields = {"portal": network.portals["a"], "topic": "Đất đai",
              "body": "Xin hỏi thủ tục tách thửa đất ở.", "name": "Đinh Sơn",
              "phone": "0911222333", "email": "son@example.test", "consent": True}
    fields.update(kw)
    return services.question_submit(**fields)[0]


def test_consent_is_recorded_with_its_wording_and_time(network):
    q = _question(network)
    assert "chỉ nhằm mục đích tiếp nhận" in q.consent_text and q.consent_at
    assert q.publish_consent is False


def test_contact_data_is_erased_after_the_retention_period(network, settings):
    settings.CONG_CONTACT_RETENTION_DAYS = 30
    old, recent, open_q = _question(network), _question(network), _question(network)
    now = timezone.now()
    Question.objects.filter(pk=old.pk).update(closed_at=now - dt.timedelta(days=31))
    Question.objects.filter(pk=recent.pk).update(closed_at=now - dt.timedelta(days=29))
    req, _ = services.info_request_submit(
        portal=network.portals["a"], name="Đinh Sơn", identity_number="001203004567",
        information="Quy hoạch", purpose="Xây nhà", email="son@example.test", consent=True)
    InfoRequest.objects.filter(pk=req.pk).update(closed_at=now - dt.timedelta(days=40))
    assert "engagement.contacts_erase" in run_due({}, 0.0, force=True)
    old.refresh_from_db()
    recent.refresh_from_db()
    open_q.refresh_from_db()
    req.refresh_from_db()
    assert (old.name, old.phone, old.email) == ("", "", "") and old.contact_erased_at
    assert old.body  # what was asked stays for the records
    assert recent.name == "Đinh Sơn" and open_q.name == "Đinh Sơn"
    assert req.identity_number == "" and req.name == ""


def test_export_and_erase_on_request_by_a_network_overseer(client, network):
    _question(network)
    _question(network, portal=network.portals["b"])
    _question(network, email="other@example.test", name="Người khác")
    client.force_login(network.user("a", "truong_ban"))
    refused = client.post("/admin/tuong-tac/du-lieu-ca-nhan/",
                          {"email": "son@example.test", "action": "export"})
    assert refused.status_code in (302, 403) and b"0911222333" not in refused.content
    client.force_login(network.user("province", "truong_ban"))
    r = client.post("/admin/tuong-tac/du-lieu-ca-nhan/", {"email": "SON@example.test", "action": "export"})
    data = json.loads(r.content)
    assert len(data["questions"]) == 2 and {q["name"] for q in data["questions"]} == {"Đinh Sơn"}
    assert all(q["consent_at"] for q in data["questions"])
    r = client.post("/admin/tuong-tac/du-lieu-ca-nhan/", {"email": "son@example.test", "action": "erase"})
    assert r.status_code == 302
    assert not Question.objects.filter(name="Đinh Sơn").exists()
    assert Question.objects.filter(name="Người khác").count() == 1
    assert Question.objects.count() == 3


def test_people_outside_the_boards_see_no_personal_data(client, network):
    from cong.accounts.models import User

    q = _question(network)
    outsider = User.objects.create_user("ngoai", password="matkhau-thu-nghiem-1")
    client.force_login(outsider)
    r = client.get(f"/admin/tuong-tac/hoi-dap/{q.pk}/")
    assert r.status_code in (302, 403, 404)
    assert b"0911222333" not in r.content
