"""Consultation on drafts: minimum durations, comments on the whole draft or
an article, moderation that never deletes, the automatic close, and the
synthesis report as DOCX and XLSX read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from cong.core.errors import ApplicationError
from cong.core.scheduler import run_due
from cong.engagement import selectors, services
from cong.engagement.models import ConsultationComment

A = "stttt.binhan.test"


def make(network, key="a", days=10, start_offset=-1, **kw):
    now = timezone.now()
    fields = {
        "portal": network.portals[key], "title": "Dự thảo Quyết định về quản lý cổng thông tin",
        "doc_type": "quyet-dinh-chu-tich", "drafting_agency": "Sở Tư pháp",
        "body": "<p>Toàn văn dự thảo.</p><script>alert(1)</script>",
        "opens_at": now + dt.timedelta(days=start_offset),
        "closes_at": now + dt.timedelta(days=start_offset + days),
        "articles": ["Phạm vi điều chỉnh", "Đối tượng áp dụng", "Hiệu lực thi hành"],
        "actor": network.user(key, "bien_tap_vien"),
    }
    fields.update(kw)
    return services.consultation_create(**fields)


def test_minimum_duration_per_document_type(network, settings):
    with pytest.raises(ApplicationError) as exc:
        make(network, days=9)
    assert "tối thiểu 10 ngày" in exc.value.message
    with pytest.raises(ApplicationError):
        make(network, doc_type="nghi-quyet", days=15)
    assert make(network, doc_type="nghi-quyet", days=20).pk
    settings.CONG_CONSULTATION_MIN_DAYS = {"nghi-quyet": 30}
    with pytest.raises(ApplicationError):
        make(network, doc_type="nghi-quyet", days=20)


def test_helping_another_agency_is_a_consultation_support_case(network):
    c = make(network, for_other_agency=True)
    assert c.support_case.case_type == "consultation"
    assert c.support_case.requester == "Sở Tư pháp"
    today = timezone.localdate()
    counts = selectors.support_cases_count(network.units["a"], today - dt.timedelta(days=5), today)
    assert counts["consultation"] == 1 and counts["total"] == 1
    assert make(network).support_case is None


def test_public_comment_on_an_article_and_moderation(host_client, network, submit, client):
    c = make(network)
    article = c.articles.get(number=2)
    web = host_client(A)
    page = web.get(f"/lay-y-kien-du-thao/{c.pk}/").content.decode()
    assert "Toàn văn dự thảo" in page and "alert(1)" not in page
    assert "Điều 2. Đối tượng áp dụng" in page
    r = submit(web, f"/lay-y-kien-du-thao/{c.pk}/", {
        "article": article.pk, "body": "Đề nghị bổ sung <b>hộ kinh doanh</b> vào đối tượng.",
        "organisation": "Hiệp hội Doanh nghiệp", "name": "Đỗ Hải", "email": "hai@example.test",
        "consent": "on",
    })
    assert r.status_code == 200
    r = submit(web, f"/lay-y-kien-du-thao/{c.pk}/", {"body": "Nội dung quảng cáo không liên quan"})
    assert r.status_code == 200
    r = submit(web, f"/lay-y-kien-du-thao/{c.pk}/", {"body": "Dự thảo cần làm rõ hiệu lực."})
    assert ConsultationComment.objects.count() == 3
    first = ConsultationComment.objects.get(article=article)
    assert first.body == "Đề nghị bổ sung hộ kinh doanh vào đối tượng." and first.consent_at
    spam = ConsultationComment.objects.get(body__startswith="Nội dung quảng cáo")
    # moderation needs a reason, hides, never deletes
    with pytest.raises(ApplicationError):
        services.consultation_comment_hide(comment=spam, reason=" ", actor=network.user("a", "thu_ky"))
    client.force_login(network.user("a", "thu_ky"))
    r = client.post(f"/admin/tuong-tac/du-thao/{c.pk}/",
                    {"action": "hide", "comment": spam.pk, "reason": "Quảng cáo"})
    assert r.status_code == 302
    spam.refresh_from_db()
    assert spam.hidden_reason == "Quảng cáo" and spam.hidden_at
    page = web.get(f"/lay-y-kien-du-thao/{c.pk}/").content.decode()
    assert "quảng cáo không liên quan" not in page and "1 góp ý đã được ẩn" in page
    assert "hộ kinh doanh" in page and "Đỗ Hải" not in page and "hai@example.test" not in page
    # another portal's board cannot moderate it
    client.force_login(network.user("b", "truong_ban"))
    assert client.get(f"/admin/tuong-tac/du-thao/{c.pk}/").status_code == 404


def test_automatic_close_refuses_later_comments_and_synthesis_reads_back(
    host_client, network, submit, client,
):
    c = make(network, days=10, start_offset=-5)
    web = host_client(A)
    submit(web, f"/lay-y-kien-du-thao/{c.pk}/",
           {"article": c.articles.get(number=1).pk, "body": "Nên thu hẹp phạm vi.",
            "organisation": "UBND xã Hòa Bình"})
    submit(web, f"/lay-y-kien-du-thao/{c.pk}/", {"body": "Đồng ý với dự thảo."})
    submit(web, f"/lay-y-kien-du-thao/{c.pk}/", {"body": "Quảng cáo bán hàng."})
    spam = ConsultationComment.objects.get(body__startswith="Quảng cáo")
    services.consultation_comment_hide(comment=spam, reason="Quảng cáo", actor=network.user("a", "thu_ky"))
    # time passes: the closing time is behind us, the scheduler closes it
    type(c).objects.filter(pk=c.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert "engagement.consultations_close" in run_due({}, 0.0, force=True)
    c.refresh_from_db()
    assert c.closed_at is not None
    page = web.get(f"/lay-y-kien-du-thao/{c.pk}/")
    key = "late-key"
    r = web.post(f"/lay-y-kien-du-thao/{c.pk}/", {"submission_key": key, "body": "Góp ý muộn"})
    assert r.status_code == 403 and "hết thời gian" in r.content.decode()
    assert page.status_code == 200 and ConsultationComment.objects.count() == 3
    with pytest.raises(ApplicationError):
        services.consultation_comment_submit(consultation=c, body="Góp ý muộn qua dịch vụ")
    # dispositions
    client.force_login(network.user("a", "bien_tap_vien"))
    scope = ConsultationComment.objects.get(body__startswith="Nên thu hẹp")
    agree = ConsultationComment.objects.get(body__startswith="Đồng ý")
    r = client.post(f"/admin/tuong-tac/du-thao/{c.pk}/", {
        "action": "dispose", "comment": scope.pk, "disposition": "explained", "response": ""})
    assert "Ghi nội dung giải trình" in r.content.decode()
    client.post(f"/admin/tuong-tac/du-thao/{c.pk}/", {
        "action": "dispose", "comment": scope.pk, "disposition": "explained",
        "response": "Giữ phạm vi để thống nhất với luật."})
    client.post(f"/admin/tuong-tac/du-thao/{c.pk}/", {
        "action": "dispose", "comment": agree.pk, "disposition": "accepted", "response": ""})
    client.post(f"/admin/tuong-tac/du-thao/{c.pk}/", {
        "action": "dispose", "comment": spam.pk, "disposition": "not_accepted",
        "response": "Không liên quan đến dự thảo."})
    r = client.get(f"/admin/tuong-tac/du-thao/{c.pk}/tong-hop.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH" in text and c.title in text
    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert rows[0][3] == "Nội dung góp ý"
    assert len(rows) == 4  # header + every comment, the hidden one included
    by_body = {r[3].split("\n")[0]: r for r in rows[1:]}
    assert by_body["Nên thu hẹp phạm vi."][1] == "Điều 1. Phạm vi điều chỉnh"
    assert by_body["Nên thu hẹp phạm vi."][2] == "UBND xã Hòa Bình"
    assert by_body["Nên thu hẹp phạm vi."][4:] == ["Giải trình", "Giữ phạm vi để thống nhất với luật."]
    assert by_body["Đồng ý với dự thảo."][4] == "Tiếp thu"
    assert "Đã ẩn trên cổng: Quảng cáo" in by_body["Quảng cáo bán hàng."][3]
    assert by_body["Quảng cáo bán hàng."][4] == "Không tiếp thu"
    r = client.get(f"/admin/tuong-tac/du-thao/{c.pk}/tong-hop.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [[cell.value for cell in row] for row in ws.iter_rows(min_row=3)]
    assert len(values) == 3 and [v[0] for v in values] == [1, 2, 3]
    assert {v[4] for v in values} == {"Giải trình", "Tiếp thu", "Không tiếp thu"}
    assert client.get(f"/admin/tuong-tac/du-thao/{c.pk}/tong-hop.exe").status_code == 404


def test_consultation_not_yet_open_takes_no_comment(network):
    c = make(network, start_offset=2)
    with pytest.raises(ApplicationError):
        services.consultation_comment_submit(consultation=c, body="Góp ý sớm quá")


def test_mistyped_draft_file_is_refused(network):
    fake = SimpleUploadedFile("du-thao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError):
        make(network, files=[fake])
    real = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    c = make(network, files=[real])
    assert c.files.count() == 1
