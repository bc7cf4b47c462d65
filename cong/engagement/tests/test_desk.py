"""The board's desk: classify, assign, forward to another portal's unit,
draft, leader approval, publication, deadlines, reminders and the overdue
list, each portal seeing only its own questions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cong.core.scheduler import run_due
from cong.engagement import selectors, services
from cong.engagement.choices import QuestionStatus
from cong.engagement.models import PersonalDataAccess, Question, QuestionEvent
from cong.engagement.tests.conftest import local, mail_text

URL = "/admin/tuong-tac/hoi-dap/"


def admin(client, user):
    client.force_login(user)
    return client


def ask(network, key="a", **kw):
    fields = {
        "portal": network.portals[key], "topic": "Giấy phép hành nghề y",
        "body": "Tôi là Phạm Minh, điện thoại 0903111222, xin hỏi hồ sơ gia hạn giấy phép.",
        "name": "Phạm Minh", "phone": "0903111222", "email": "minh@example.test", "consent": True,
        "publish_consent": True,
    }
    fields.update(kw)
    return services.question_submit(**fields)[0]


def test_deadlines_count_working_days_across_tet(network):
    # Friday 24/1/2025; Tết At Ty: 27/1-31/1 off (plus the weekends around it)
    q = ask(network, received_at=local(2025, 1, 24, 10))
    assert q.due_on == dt.date(2025, 2, 21)
    services.question_classify(question=q, classification="out_of_competence",
                               actor=network.user("a", "bien_tap_vien"))
    assert q.forward_due_on == dt.date(2025, 2, 7)


def test_forwarding_to_another_portals_unit_end_to_end(client, network, smtp_server):
    q = ask(network)
    editor_a, editor_b = network.user("a", "bien_tap_vien"), network.user("b", "bien_tap_vien")
    leader_b = network.user("b", "pho_truong_ban")
    c = admin(client, editor_a)
    page = c.get(f"{URL}{q.pk}/")
    assert page.status_code == 200 and "Phạm Minh" in page.content.decode()
    r = c.post(f"{URL}{q.pk}/", {"action": "classify", "classify-classification": "out_of_competence",
                                 "classify-note": "Thuộc thẩm quyền Sở Y tế"})
    assert r.status_code == 302
    r = c.post(f"{URL}{q.pk}/", {"action": "assign", "assign-unit": network.units["b"].pk,
                                 "assign-note": "Chuyển Sở Y tế"})
    assert r.status_code == 302 and r["Location"] == URL
    q.refresh_from_db()
    assert q.portal == network.portals["b"] and q.unit == network.units["b"]
    # the first portal's board no longer sees it; the second's does, with the history
    assert c.get(f"{URL}{q.pk}/").status_code == 404
    assert q.tracking_code not in c.get(URL).content.decode()
    c = admin(client, editor_b)
    assert q.tracking_code in c.get(URL).content.decode()
    detail = c.get(f"{URL}{q.pk}/").content.decode()
    assert "Thuộc thẩm quyền Sở Y tế" in detail and "Sở Thông tin và Truyền thông" in detail
    forwarded = QuestionEvent.objects.get(question=q, action="forwarded")
    assert (forwarded.from_portal, forwarded.to_portal) == (network.portals["a"], network.portals["b"])
    r = c.post(f"{URL}{q.pk}/", {"action": "draft",
                                 "draft-answer": "Hồ sơ gia hạn gồm đơn và giấy khám sức khỏe."})
    assert r.status_code == 302
    # an editor cannot approve
    r = c.post(f"{URL}{q.pk}/", {"action": "approve"})
    assert r.status_code == 200 and "Chỉ Trưởng ban" in r.content.decode()
    q.refresh_from_db()
    assert q.status == QuestionStatus.DRAFTED
    c = admin(client, leader_b)
    assert c.post(f"{URL}{q.pk}/", {"action": "approve"}).status_code == 302
    q.refresh_from_db()
    assert q.status == QuestionStatus.PUBLISHED and q.approved_by == leader_b
    assert "0903111222" not in q.public_question and "Phạm Minh" not in q.public_question
    # published in portal b's library, not in a's
    from django.test import Client

    page = Client(HTTP_HOST="syt.binhan.test").get(f"/hoi-dap/{q.pk}/")
    assert page.status_code == 200
    # vn_date writes "ngày" itself: the line reads "Trả lời ngày 12/3/2024", not "ngày ngày"
    from django.utils import timezone

    day = timezone.localtime(q.published_at).date()
    assert f"Trả lời ngày {day.day}/{day.month}/{day.year}" in page.content.decode()
    assert "ngày ngày" not in page.content.decode()
    assert Client(HTTP_HOST="stttt.binhan.test").get(f"/hoi-dap/{q.pk}/").status_code == 404
    # the sender got the acknowledgment and then the answer, through SMTP
    subjects = [mail_text(m)[0] for m in smtp_server.messages]
    assert len(subjects) == 2 and all(q.tracking_code in s for s in subjects)
    assert "giấy khám sức khỏe" in mail_text(smtp_server.messages[1])[1]
    from wagtail.models import ModelLogEntry

    logged = set(ModelLogEntry.objects.filter(object_id=str(q.pk)).values_list("action", flat=True))
    assert {"cong.question.forward", "cong.question.publish"} <= logged
    actions = list(q.events.values_list("action", flat=True))
    assert actions == ["received", "mail_sent", "classified", "forwarded", "drafted", "approved",
                       "mail_sent"]


def test_staff_enter_a_phone_question(client, network):
    c = admin(client, network.user("a", "thu_ky"))
    r = c.post(f"{URL}them/", {
        "portal": network.portals["a"].pk, "channel": "phone", "kind": "petition",
        "topic": "Đèn đường hỏng", "body": "Đèn đường khu phố 3 hỏng đã hai tuần.",
        "name": "Võ Lan", "phone": "0905000111", "consent": "on",
    })
    assert r.status_code == 302
    q = Question.objects.get()
    assert q.channel == "phone" and q.kind == "petition" and q.tracking_code
    # a board member of another portal cannot enter for portal a
    c = admin(client, network.user("b", "thu_ky"))
    r = c.post(f"{URL}them/", {
        "portal": network.portals["a"].pk, "channel": "phone", "kind": "question",
        "topic": "X", "body": "Nội dung thử nghiệm dài", "name": "Y", "phone": "0905", "consent": "on",
    })
    assert r.status_code == 200 and Question.objects.count() == 1


def test_boards_see_only_their_portals_questions_and_views_of_personal_data_are_logged(
    client, network,
):
    qa, qb = ask(network, "a"), ask(network, "b", topic="Tiêm chủng mở rộng")
    for role in ("truong_ban", "bien_tap_vien", "cong_tac_vien"):
        c = admin(client, network.user("a", role))
        listing = c.get(URL).content.decode()
        assert qa.tracking_code in listing and qb.tracking_code not in listing
        assert "Phạm Minh" not in listing  # the list shows no personal data
        assert c.get(f"{URL}{qb.pk}/").status_code == 404
        assert c.get(f"{URL}{qa.pk}/").status_code == 200
    assert PersonalDataAccess.objects.filter(object_type="question", object_id=qa.pk).count() == 3
    assert not PersonalDataAccess.objects.filter(object_id=qb.pk, object_type="question").exists()
    # the province's leaders oversee every portal
    c = admin(client, network.user("province", "truong_ban"))
    listing = c.get(URL).content.decode()
    assert qa.tracking_code in listing and qb.tracking_code in listing


def test_overdue_list_and_the_reporting_count(client, network):
    old = ask(network, received_at=local(2024, 3, 1))
    ask(network, received_at=local(2024, 3, 1), topic="Đã trả lời")  # answered below
    answered = Question.objects.get(topic="Đã trả lời")
    recent = ask(network)
    other = ask(network, "b", received_at=local(2024, 3, 1))
    leader = network.user("a", "truong_ban")
    services.question_assign(question=answered, unit=network.units["a"], actor=leader)
    services.question_draft(question=answered, answer="Nội dung trả lời đầy đủ.", actor=leader)
    services.question_approve(question=answered, actor=leader)
    c = admin(client, network.user("a", "bien_tap_vien"))
    html = c.get(f"{URL}qua-han/").content.decode()
    assert old.tracking_code in html
    assert recent.tracking_code not in html and other.tracking_code not in html
    assert answered.tracking_code not in html
    # out of competence and not forwarded within 5 working days: late too
    stuck = ask(network)
    services.question_classify(question=stuck, classification="out_of_competence",
                               actor=network.user("a", "bien_tap_vien"))
    assert stuck.tracking_code not in c.get(f"{URL}qua-han/").content.decode()
    Question.objects.filter(pk=stuck.pk).update(forward_due_on=dt.date(2024, 1, 2))
    assert stuck.tracking_code in c.get(f"{URL}qua-han/").content.decode()
    unit = network.units["a"]
    due = old.due_on
    assert selectors.overdue_questions_count(unit, due) == 0  # due that day: not late yet
    # the one answered today was still late on every day before today
    assert selectors.overdue_questions_count(unit, due + dt.timedelta(days=1)) == 2
    assert selectors.overdue_questions_count(unit, dt.date(2024, 2, 1)) == 0  # not received yet
    assert selectors.overdue_questions_count(unit, timezone.localdate()) == 1
    assert selectors.overdue_questions_count(network.units["b"], timezone.localdate()) == 1


def test_reminders_go_to_the_board_once_a_day(network, smtp_server, settings):
    editor = network.user("a", "bien_tap_vien")
    editor.email = "btv@stttt.binhan.test"
    editor.save()
    near = ask(network)
    Question.objects.filter(pk=near.pk).update(due_on=timezone.localdate())
    far = ask(network, topic="Còn xa")
    to_forward = ask(network, topic="Cần chuyển")
    services.question_classify(question=to_forward, classification="out_of_competence",
                               actor=editor)
    Question.objects.filter(pk=to_forward.pk).update(forward_due_on=timezone.localdate())
    services.questions_remind()
    assert services.questions_remind() == 0  # not twice the same day
    assert len(smtp_server.messages) == 4  # three acknowledgments, one reminder
    reminder = smtp_server.messages[-1]
    assert reminder["to"] == ["btv@stttt.binhan.test"]
    body = mail_text(reminder)[1]
    assert near.tracking_code in body and far.tracking_code not in body
    assert to_forward.tracking_code in body
    assert QuestionEvent.objects.filter(question=near, action="reminded").count() == 1


def test_reminder_job_runs_through_the_scheduler(network):
    q = ask(network)
    Question.objects.filter(pk=q.pk).update(due_on=dt.date(2024, 1, 2))
    ran = run_due({}, 0.0, force=True)
    assert "engagement.questions_remind" in ran
    assert QuestionEvent.objects.filter(question=q, action="reminded").exists()


def test_smtp_failure_is_recorded_and_the_question_kept(network, smtp_server):
    smtp_server.down = True
    q = ask(network)
    assert Question.objects.filter(pk=q.pk).exists()
    failed = QuestionEvent.objects.get(question=q, action="mail_failed")
    assert "451" in failed.note
    smtp_server.down = False
    smtp_server.refuse.add("minh@example.test")
    leader = network.user("a", "truong_ban")
    services.question_assign(question=q, unit=network.units["a"], actor=leader)
    services.question_draft(question=q, answer="Trả lời thử nghiệm đầy đủ.", actor=leader)
    services.question_approve(question=q, actor=leader)
    assert QuestionEvent.objects.filter(question=q, action="mail_failed").count() == 2
    assert smtp_server.messages == []


def test_redaction_removes_contact_data_and_identity_numbers():
    text = ("Tôi là Nguyễn Văn An, CCCD 001203004567, nhà ở 12 Lê Lợi, "
            "gọi +84 912 345 678 hoặc an.nv@mail.test.")
    out = services.redact(text, "Nguyễn Văn An", "12 Lê Lợi")
    for secret in ("Nguyễn Văn An", "001203004567", "12 Lê Lợi", "912 345 678", "an.nv@mail.test"):
        assert secret not in out
    assert out.startswith("Tôi là")


@pytest.mark.parametrize("classification", ["incomplete"])
def test_incomplete_question_is_closed_and_sender_told(network, smtp_server, classification):
    q = ask(network)
    services.question_classify(question=q, classification=classification,
                               actor=network.user("a", "bien_tap_vien"))
    assert q.status == QuestionStatus.REJECTED and q.closed_at
    assert "không được tiếp nhận" in mail_text(smtp_server.messages[-1])[0]
