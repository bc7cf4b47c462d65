import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cong.core.errors import ApplicationError
from cong.gazette import services
from cong.gazette.models import DocumentFile, EventKind, LegalDocument
from cong.gazette.pdf import image_only_pdf, text_pdf

D = dt.date


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_openapi_schema_is_valid(client, network):
    from openapi_spec_validator import validate

    r = client.get("/api/cong-bao/openapi.json", HTTP_HOST="binhan.test")
    assert r.status_code == 200
    schema = r.json()
    validate(schema)
    assert "/api/cong-bao/van-ban" in schema["paths"]
    assert "/api/cong-bao/so" in schema["paths"]


def test_api_list_filters_cursor_and_detail(client, make_doc, network):
    docs = [make_doc(number=f"{i}/2025/TB-STTTT", doc_type="Thông báo", issued_on=D(2025, 4, i),
                     effective_on=D(2025, 4, i)) for i in range(1, 6)]
    make_doc(portal=network.portals["b"], number="9/2025/TB-SYT", issuer_name="Sở Y tế", doc_type="Thông báo")
    r = client.get("/api/cong-bao/van-ban", {"loai": "Thông báo", "cong": "stttt.binhan.test", "so_luong": 2},
                   HTTP_HOST="binhan.test")
    data = r.json()
    assert data["count"] == 5
    assert [d["number"] for d in data["items"]] == ["5/2025/TB-STTTT", "4/2025/TB-STTTT"]
    seen = [d["id"] for d in data["items"]]
    cursor = data["next_cursor"]
    while cursor:
        data = client.get("/api/cong-bao/van-ban", {"loai": "Thông báo", "cong": "stttt.binhan.test",
                                                    "so_luong": 2, "sau": cursor}, HTTP_HOST="binhan.test").json()
        seen += [d["id"] for d in data["items"]]
        cursor = data["next_cursor"]
    assert seen == [d.pk for d in reversed(docs)]
    # network-wide: both portals
    data = client.get("/api/cong-bao/van-ban", {"loai": "Thông báo"}, HTTP_HOST="binhan.test").json()
    assert data["count"] == 6
    services.event_add(document=docs[0], kind=EventKind.REPEALED, on=D(2025, 5, 1), caused_by=docs[4])
    detail = client.get(f"/api/cong-bao/van-ban/{docs[0].pk}", HTTP_HOST="binhan.test").json()
    assert detail["status"] == "expired"
    assert [(r["kind"], r["direction"], r["document_id"]) for r in detail["relations"]] == [
        ("repeals", "in", docs[4].pk)
    ]
    assert client.get("/api/cong-bao/van-ban/999999", HTTP_HOST="binhan.test").status_code == 404
    data = client.get("/api/cong-bao/van-ban", {"hieu_luc": "expired", "ngay": "2025-05-02"},
                      HTTP_HOST="binhan.test").json()
    assert [d["id"] for d in data["items"]] == [docs[0].pk]


def test_pdf_and_docx_text_is_extracted_and_kept_byte_for_byte(make_doc):
    pdf_bytes = text_pdf("Nghị quyết", ["Quy định mức thu phí tham quan danh lam thắng cảnh"])
    doc = make_doc(files=[SimpleUploadedFile("nq.pdf", pdf_bytes),
                          SimpleUploadedFile("nq.docx", _docx("Bản chỉnh sửa được của nghị quyết"))])
    files = {f.kind: f for f in doc.files.all()}
    with files["pdf"].file.open("rb") as fh:
        assert fh.read() == pdf_bytes
    assert "danh lam thắng cảnh" in files["pdf"].text
    assert "chỉnh sửa được" in files["docx"].text
    doc.refresh_from_db()
    assert "danh lam thang canh" in doc.search_text and not doc.needs_ocr


def test_scanned_pdf_is_accepted_and_flagged_for_ocr(make_doc):
    doc = make_doc(files=[SimpleUploadedFile("scan.pdf", image_only_pdf())])
    doc.refresh_from_db()
    assert doc.needs_ocr and doc.files.get().needs_ocr


@pytest.mark.parametrize(("name", "data", "message"), [
    ("gia.pdf", b"MZ\x90\x00 not a pdf at all", "không phải PDF"),
    ("hong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref", "bị hỏng"),
    ("gia.docx", b"%PDF-1.4 a pdf named docx", "không phải DOCX"),
])
def test_bad_files_refused_and_nothing_saved(make_doc, name, data, message):
    before = LegalDocument.objects.count()
    with pytest.raises(ApplicationError) as exc:
        make_doc(number="77/2025/QĐ-UBND", files=[SimpleUploadedFile(name, data)])
    assert message in exc.value.message
    assert LegalDocument.objects.count() == before
    assert not DocumentFile.objects.exists()


def test_oversized_file_refused(make_doc, monkeypatch):
    monkeypatch.setattr(services, "FILE_MAX_BYTES", 1024)
    big = text_pdf("Văn bản", ["nội dung " * 400])
    assert len(big) > 1024
    with pytest.raises(ApplicationError) as exc:
        make_doc(number="78/2025/QĐ-UBND", files=[SimpleUploadedFile("lon.pdf", big)])
    assert "quá lớn" in exc.value.message
    assert not LegalDocument.objects.filter(number="78/2025/QĐ-UBND").exists()
