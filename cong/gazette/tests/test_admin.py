import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cong.gazette.models import EventKind, LegalDocument, ValidityEvent
from cong.gazette.pdf import image_only_pdf, text_pdf

D = dt.date


def _form(portal, **over):
    data = {
        "portal": portal.pk, "number": "45/2025/QĐ-STTTT", "doc_type": "Quyết định", "normative": "",
        "issuer_name": "Sở Thông tin và Truyền thông", "signer": "Phạm Văn D", "signer_title": "Giám đốc",
        "issued_on": "2025-05-05", "effective_on": "2025-05-05", "expires_on": "", "field": "Bưu chính",
        "summary": "Ban hành quy trình tiếp nhận văn bản", "gazette_number": "", "gazette_date": "",
        "posted_at": "2025-05-06 09:00:00", "issuer_unit": "", "page": "",
    }
    data.update(over)
    return data


def test_editor_intake_with_pdf_extracts_text(client, network):
    client.force_login(network.user("a", "bien_tap_vien"))
    pdf = SimpleUploadedFile("quy-trinh.pdf", text_pdf("Quyết định", ["Quy trình tiếp nhận văn bản đến"]))
    r = client.post(reverse("gazette_documents:add"), {**_form(network.portals["a"]), "pdf_file": pdf})
    assert r.status_code == 302, r.content.decode()[:3000]
    doc = LegalDocument.objects.get(number="45/2025/QĐ-STTTT")
    assert doc.portal == network.portals["a"]
    assert "tiep nhan van ban den" in doc.search_text
    assert doc.events.filter(kind=EventKind.EFFECTIVE, on=D(2025, 5, 5)).exists()


def test_intake_scanned_pdf_is_flagged(client, network):
    client.force_login(network.user("a", "cong_tac_vien"))
    r = client.post(reverse("gazette_documents:add"), {
        **_form(network.portals["a"]), "pdf_file": SimpleUploadedFile("scan.pdf", image_only_pdf()),
    })
    assert r.status_code == 302
    assert LegalDocument.objects.get(number="45/2025/QĐ-STTTT").needs_ocr


def test_intake_refuses_a_fake_pdf_and_a_bad_date_on_the_form(client, network):
    client.force_login(network.user("a", "bien_tap_vien"))
    r = client.post(reverse("gazette_documents:add"), {
        **_form(network.portals["a"]), "pdf_file": SimpleUploadedFile("gia.pdf", b"<html>not a pdf</html>"),
    })
    assert r.status_code == 200
    assert "không phải PDF" in r.content.decode()
    r = client.post(reverse("gazette_documents:add"), _form(network.portals["a"], effective_on="2025-05-01"))
    assert "Ngày có hiệu lực không thể trước ngày ban hành" in r.content.decode()
    assert not LegalDocument.objects.exists()


def test_board_member_never_sees_another_portals_documents(client, network, make_doc):
    doc_a = make_doc(portal=network.portals["a"], number="1/2025/TB-A", summary="Thông báo của cổng A")
    doc_b = make_doc(portal=network.portals["b"], number="1/2025/TB-B", issuer_name="Sở Y tế",
                     summary="Thông báo của cổng B")
    for role in ("bien_tap_vien", "truong_ban"):
        client.force_login(network.user("b", role))
        listing = client.get(reverse("gazette_documents:index")).content.decode()
        assert doc_b.number in listing and doc_a.number not in listing
        assert client.get(reverse("gazette_documents:edit", args=[doc_a.pk])).status_code == 404
        # and cannot put a document on portal A
        r = client.post(reverse("gazette_documents:add"), _form(network.portals["a"], number="9/2025/X"))
        assert r.status_code == 200
        assert not LegalDocument.objects.filter(number="9/2025/X").exists()
    # the province board's leaders oversee every portal
    client.force_login(network.user("province", "truong_ban"))
    listing = client.get(reverse("gazette_documents:index")).content.decode()
    assert doc_a.number in listing and doc_b.number in listing


def test_validity_event_through_the_admin_and_late_postings_report(client, network, make_doc):
    old = make_doc(number="2/2024/QĐ-A", issued_on=D(2024, 1, 2), effective_on=D(2024, 1, 2),
                   posted_at=dt.datetime(2024, 1, 20, 9, tzinfo=dt.UTC))
    new = make_doc(number="3/2025/QĐ-A", issued_on=D(2025, 1, 2), effective_on=D(2025, 1, 2))
    other = make_doc(portal=network.portals["b"], number="4/2025/QĐ-B", issuer_name="Sở Y tế",
                     issued_on=D(2025, 1, 2), posted_at=None)
    client.force_login(network.user("a", "thu_ky"))
    r = client.post(reverse("gazette_events:add"), {
        "document": old.pk, "kind": EventKind.REPLACED, "on": "2025-01-02", "caused_by": new.pk, "note": "",
    })
    assert r.status_code == 302
    assert ValidityEvent.objects.filter(document=old, kind=EventKind.REPLACED, caused_by=new).exists()
    # a document of another portal cannot be chosen
    r = client.post(reverse("gazette_events:add"), {
        "document": other.pk, "kind": EventKind.EXPIRED, "on": "2025-02-01", "caused_by": "", "note": "",
    })
    assert r.status_code == 200 and not other.events.filter(kind=EventKind.EXPIRED).exists()
    page = client.get(reverse("gazette_late_postings")).content.decode()
    assert old.number in page and other.number not in page


def test_relation_through_the_admin_refuses_a_replacement_cycle(client, network, make_doc):
    from cong.gazette.models import Relation

    a = make_doc(number="5/2025/QĐ-A")
    b = make_doc(number="6/2025/QĐ-A")
    client.force_login(network.user("a", "bien_tap_vien"))
    r = client.post(reverse("gazette_relations:add"), {"source": b.pk, "kind": "replaces", "target": a.pk})
    assert r.status_code == 302
    r = client.post(reverse("gazette_relations:add"), {"source": a.pk, "kind": "replaces", "target": b.pk})
    assert r.status_code == 200 and "Vòng thay thế" in r.content.decode()
    assert Relation.objects.count() == 1
