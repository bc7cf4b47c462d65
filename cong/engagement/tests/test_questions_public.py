"""Questions and petitions from the public side: form, consent, abuse
protection, tracking, the answer library and ratings."""

from __future__ import annotations

import pytest

from cong.engagement import services
from cong.engagement.choices import Classification, QuestionStatus
from cong.engagement.models import Question, QuestionEvent
from cong.engagement.tests.conftest import mail_text, solve

A = "stttt.binhan.test"
B = "syt.binhan.test"

QUESTION = {
    "kind": "question", "topic": "Cấp lại chứng chỉ hành nghề",
    "body": "Tôi là Nguyễn Văn An, số điện thoại 0912 345 678, xin hỏi thủ tục cấp lại chứng chỉ.",
    "name": "Nguyễn Văn An", "address": "12 Lê Lợi, Bình An", "phone": "0912345678",
    "email": "an@example.test", "consent": "on", "publish_consent": "on",
}


def test_form_starts_with_unticked_consents_and_protects_with_pow(host_client, network):
    page = host_client(A).get("/hoi-dap/gui-cau-hoi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="consent"' in html and 'name="publish_consent"' in html
    assert "checked" not in html
    assert 'data-pow-url="/-/pow/"' in html and "pow.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_submission_without_consent_is_refused(host_client, network, submit):
    client = host_client(A)
    data = {**QUESTION, "consent": ""}
    response = submit(client, "/hoi-dap/gui-cau-hoi/", data)
    assert response.status_code == 400
    assert "đồng ý cho xử lý dữ liệu cá nhân" in response.content.decode()
    assert not Question.objects.exists()


def test_submission_without_solved_challenge_is_refused(host_client, network, submit):
    response = submit(host_client(A), "/hoi-dap/gui-cau-hoi/", QUESTION, solve_pow=False)
    assert response.status_code == 400
    assert "chống gửi tự động" in response.content.decode()
    assert not Question.objects.exists()


def test_submission_gives_a_tracking_code_and_replay_makes_no_duplicate(
    host_client, network, submit, smtp_server,
):
    client = host_client(A)
    page = client.get("/hoi-dap/gui-cau-hoi/")
    key = page.context["form"].initial["submission_key"]
    payload = {**QUESTION, "submission_key": key, "pow": solve(client.get("/-/pow/").json())}
    first = client.post("/hoi-dap/gui-cau-hoi/", payload)
    assert first.status_code == 200
    question = Question.objects.get()
    assert question.tracking_code in first.content.decode()
    assert question.portal == network.portals["a"]
    # the same POST again (same key, same used challenge): no second question
    again = client.post("/hoi-dap/gui-cau-hoi/", payload)
    assert again.status_code == 200
    assert question.tracking_code in again.content.decode()
    assert Question.objects.count() == 1
    # the acknowledgment went through the real SMTP server
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["to"] == ["an@example.test"]
    subject, body = mail_text(smtp_server.messages[0])
    assert question.tracking_code in subject
    assert question.tracking_code in body
    assert QuestionEvent.objects.filter(question=question, action="mail_sent").exists()


def test_html_and_scripts_come_out_as_text(host_client, network, submit):
    data = {**QUESTION, "topic": "<script>alert(1)</script>Lịch tiêm",
            "body": "<b>Xin hỏi</b> lịch tiêm chủng <img src=x onerror=alert(1)> tháng tới?"}
    response = submit(host_client(A), "/hoi-dap/gui-cau-hoi/", data)
    assert response.status_code == 200
    q = Question.objects.get()
    assert "<" not in q.topic and "<" not in q.body
    assert "script" not in q.topic and "onerror" not in q.body
    assert q.body.startswith("Xin hỏi")


def test_petition_needs_address_or_phone(host_client, network, submit):
    data = {**QUESTION, "kind": "petition", "address": "", "phone": ""}
    response = submit(host_client(A), "/hoi-dap/gui-cau-hoi/", data)
    assert response.status_code == 400
    assert "địa chỉ hoặc số điện thoại" in response.content.decode()


def test_flood_is_refused_with_429_and_accepted_submissions_are_kept(
    host_client, network, submit, settings,
):
    settings.CONG_ENGAGEMENT_FORM_RATE = "3/m"
    client = host_client(A)
    codes = []
    for i in range(3):
        r = submit(client, "/hoi-dap/gui-cau-hoi/", {**QUESTION, "topic": f"Câu hỏi {i}"})
        assert r.status_code == 200
        codes.append(Question.objects.get(topic=f"Câu hỏi {i}").tracking_code)
    refused = submit(client, "/hoi-dap/gui-cau-hoi/", {**QUESTION, "topic": "Câu hỏi 4"})
    assert refused.status_code == 429
    assert "Quá nhiều yêu cầu" in refused.content.decode()
    assert refused["Retry-After"]
    assert sorted(Question.objects.values_list("tracking_code", flat=True)) == sorted(codes)
    # another client is not affected
    other = host_client(A)
    other.defaults["REMOTE_ADDR"] = "10.0.0.9"
    assert submit(other, "/hoi-dap/gui-cau-hoi/", {**QUESTION, "topic": "Khác"}).status_code == 200


def test_lookup_does_not_reveal_whether_other_codes_exist(host_client, network):
    q, _ = services.question_submit(
        portal=network.portals["a"], topic="Học bổng", body="Xin hỏi điều kiện học bổng năm nay",
        name="Trần Bình", email="binh@example.test", consent=True,
    )
    client = host_client(A)
    found = client.get("/hoi-dap/tra-cuu/", {"code": q.tracking_code.lower()})
    assert "Học bổng" in found.content.decode()
    assert "Trần Bình" not in found.content.decode()
    assert "binh@example.test" not in found.content.decode()
    unknown = client.get("/hoi-dap/tra-cuu/", {"code": "ZZZZZZZZZZ"}).content.decode()
    malformed = client.get("/hoi-dap/tra-cuu/", {"code": "x' OR 1=1"}).content.decode()

    def status_block(html):
        return html.split('role="status"', 1)[1].split("</div>", 1)[0]

    assert status_block(unknown) == status_block(malformed)
    assert "Không tìm thấy" in status_block(unknown)


def test_lookup_is_rate_limited(host_client, network, settings):
    settings.CONG_ENGAGEMENT_LOOKUP_RATE = "5/m"
    client = host_client(A)
    statuses = [client.get("/hoi-dap/tra-cuu/", {"code": f"AAAAAAAA{i:02d}"}).status_code
                for i in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]


def _published(network, portal_key="a", topic="Cấp lại chứng chỉ", body=None, consent=True):
    leader = network.user(portal_key, "truong_ban")
    q, _ = services.question_submit(
        portal=network.portals[portal_key], topic=topic,
        body=body or "Tôi là Lê Thị Hoa, gọi 0987654321 hoặc hoa@example.test, hỏi về thủ tục.",
        name="Lê Thị Hoa", phone="0987654321", email="hoa@example.test", consent=True,
        publish_consent=consent,
    )
    services.question_classify(question=q, classification=Classification.OWN,
                               actor=network.user(portal_key, "bien_tap_vien"))
    services.question_assign(question=q, unit=network.units[portal_key],
                             actor=network.user(portal_key, "bien_tap_vien"))
    services.question_draft(question=q, answer="Hồ sơ gồm đơn đề nghị và bản sao chứng chỉ cũ.",
                            actor=network.user(portal_key, "bien_tap_vien"))
    return services.question_approve(question=q, actor=leader)


def test_library_is_searchable_without_diacritics_and_keeps_portals_apart(host_client, network):
    a = _published(network, "a", topic="Thủ tục cấp lại chứng chỉ hành nghề")
    b = _published(network, "b", topic="Chứng chỉ hành nghề dược")
    _published(network, "a", topic="Học phí năm học mới", body="Học phí năm học mới là bao nhiêu?")
    client = host_client(A)
    html = client.get("/hoi-dap/", {"q": "chung chi hanh nghe"}).content.decode()
    assert a.topic in html and b.topic not in html and "Học phí" not in html
    # personal data removed from the published text
    page = client.get(f"/hoi-dap/{a.pk}/").content.decode()
    assert "Lê Thị Hoa" not in page and "0987654321" not in page and "hoa@example.test" not in page
    assert "hỏi về thủ tục" in page
    assert client.get(f"/hoi-dap/{b.pk}/").status_code == 404


def test_rating_is_anonymous_and_once_per_client(host_client, network, pow_solved):
    q = _published(network)
    client = host_client(A)
    assert client.post(f"/hoi-dap/{q.pk}/danh-gia/", {"score": "4"}).status_code == 400  # no PoW
    r = client.post(f"/hoi-dap/{q.pk}/danh-gia/", {"score": "4", "pow": pow_solved(client)})
    assert r.status_code == 302
    client.post(f"/hoi-dap/{q.pk}/danh-gia/", {"score": "1", "pow": pow_solved(client)})
    other = host_client(A)
    other.defaults["REMOTE_ADDR"] = "10.0.0.7"
    other.post(f"/hoi-dap/{q.pk}/danh-gia/", {"score": "5", "pow": pow_solved(other)})
    q.refresh_from_db()
    assert (q.rating_count, q.rating_total) == (2, 9)
    assert q.rating_average == pytest.approx(4.5)


def test_question_without_publish_consent_is_answered_privately(host_client, network):
    q = _published(network, consent=False)
    assert q.status == QuestionStatus.ANSWERED_PRIVATELY
    assert host_client(A).get(f"/hoi-dap/{q.pk}/").status_code == 404
    assert q.topic not in host_client(A).get("/hoi-dap/").content.decode()


def test_items_editors_published_in_the_sections_stay_listed(host_client, network, publish_item):
    item = publish_item(network.portals["a"], section="hoi-dap",
                        title="Hỏi đáp về đăng ký hộ kinh doanh trực tuyến")
    notice_item = publish_item(network.portals["a"], section="thong-bao",
                               title="Thông báo lịch tiếp công dân")
    web = host_client(A)
    assert item.title in web.get("/hoi-dap/").content.decode()
    assert notice_item.title in web.get("/thong-bao/").content.decode()
    assert web.get(item.url_path[len(network.portals["a"].site.root_page.url_path) - 1:]).status_code == 200
    assert item.title not in host_client(B).get("/hoi-dap/").content.decode()


@pytest.mark.parametrize("dense", [2000, 1], ids=["look-up", "walk"])
def test_library_search_finds_exactly_the_answers_holding_every_word(network, monkeypatch, dense):
    """Both ways the library answers a query (look the few matches up, or
    walk the library newest first when they are many) give every answer
    holding every word, newest first."""
    import re

    from cong.core.vn import fold
    from cong.engagement import selectors
    from cong.engagement.selectors import answers_search

    monkeypatch.setattr(selectors, "LIBRARY_DENSE", dense)

    topics = ["Học phí mầm non", "Học bổng đại học", "Phí trước bạ xe máy", "Đăng ký khai sinh",
              "Khai sinh cho con ngoài giá thú", "Bảo hiểm xã hội một lần"]
    published = [_published(network, topic=t, body=f"Xin hỏi về {t.lower()} năm nay.")
                 for t in topics]
    for query in ["hoc phi", "học", "khai sinh", "phi", "bao hiem xa hoi", '"khai sinh cho"', "xyz"]:
        words = re.findall(r"[0-9a-z]+", fold(query))
        expected = {q.pk for q in published
                    if all(w in re.findall(r"[0-9a-z]+", q.search_folded) for w in words)}
        found = list(answers_search(network.portals["a"], query))
        assert {q.pk for q in found} == expected, query
        stamps = [q.published_at for q in found]
        assert stamps == sorted(stamps, reverse=True), query


def test_only_answers_of_the_library_reach_the_search_index(network):
    """A citizen's question is not indexed on each save of its handling
    (no index task at all: at peak they come in tens a second); the
    published answer is, and a deleted one leaves the index."""
    from django.contrib.contenttypes.models import ContentType
    from django_tasks.signals import task_enqueued
    from wagtail.search.models import IndexEntry

    sent = []

    def seen(sender, task_result, **kwargs):
        if tuple(task_result.args[:2]) == ("engagement", "question"):
            sent.append(task_result.args[2])

    entries = IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(Question))
    task_enqueued.connect(seen)
    try:
        private = _published(network, topic="Cấp phép xây dựng nhà ở", consent=False)
        assert sent == [] and not entries.exists()
        public = _published(network, topic="Cấp đổi giấy phép lái xe")
        assert sent == [str(public.pk)]
        assert list(entries.values_list("object_id", flat=True)) == [str(public.pk)]
        private.delete()
        public.delete()
        assert not entries.exists()
    finally:
        task_enqueued.disconnect(seen)
