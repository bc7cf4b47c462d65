import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cong.gazette import services
from cong.gazette.models import EventKind
from cong.gazette.pdf import text_pdf

D = dt.date
HOST_A = "stttt.binhan.test"
HOST_P = "binhan.test"


@pytest.fixture
def docs(make_doc, network):
    pdf = SimpleUploadedFile("qd-quy-che.pdf", text_pdf("Quyết định", ["Quy chế quản lý cổng thông tin điện tử"]))
    a1 = make_doc(number="10/2025/QĐ-UBND", summary="Ban hành quy chế quản lý cổng thông tin điện tử",
                  normative=True, doc_type="Quyết định", field="Thông tin", effective_on=D(2025, 3, 15),
                  files=[pdf])
    a2 = make_doc(number="11/2025/KH-UBND", summary="Kế hoạch chuyển đổi số năm 2025", doc_type="Kế hoạch",
                  field="Chuyển đổi số", signer="Trần Thị Bình", effective_on=D(2025, 3, 3))
    b1 = make_doc(portal=network.portals["b"], number="12/2025/QĐ-SYT", issuer_name="Sở Y tế",
                  summary="Quy chế phòng chống dịch bệnh", effective_on=D(2025, 3, 3))
    return a1, a2, b1


def test_register_facets_and_diacritic_insensitive_search(client, docs):
    a1, a2, b1 = docs
    r = client.get("/cong-bao/", {"q": "chuyen doi so"}, HTTP_HOST=HOST_A)
    body = r.content.decode()
    assert r.status_code == 200
    assert a2.number in body and a1.number not in body and b1.number not in body
    # words of the extracted PDF text are found too
    r = client.get("/cong-bao/", {"q": "quản lý cổng"}, HTTP_HOST=HOST_A)
    assert a1.number in r.content.decode()
    # facets count the filtered set: the other portal's document is not counted
    r = client.get("/cong-bao/", {"loai": "Kế hoạch"}, HTTP_HOST=HOST_A)
    body = r.content.decode()
    assert a2.number in body and a1.number not in body
    assert "Trần Thị Bình</a> <span class=\"count\">(1)" in body
    r = client.get("/cong-bao/", {"qppl": "1"}, HTTP_HOST=HOST_A)
    assert a1.number in r.content.decode() and a2.number not in r.content.decode()


def test_network_wide_register_from_the_province_portal(client, docs):
    a1, a2, b1 = docs
    r = client.get("/cong-bao/", {"pham_vi": "mang-luoi", "q": "quy che"}, HTTP_HOST=HOST_P)
    body = r.content.decode()
    assert a1.number in body and b1.number in body and a2.number not in body
    # a department portal cannot widen its register to the network
    r = client.get("/cong-bao/", {"pham_vi": "mang-luoi", "q": "quy che"}, HTTP_HOST=HOST_A)
    assert b1.number not in r.content.decode()


def test_validity_filter_on_a_date(client, docs, make_doc):
    a1, a2, _ = docs
    newer = make_doc(number="20/2025/QĐ-UBND", issued_on=D(2025, 5, 2), effective_on=D(2025, 5, 2))
    services.event_add(document=a1, kind=EventKind.REPLACED, on=D(2025, 6, 1), caused_by=newer)
    r = client.get("/cong-bao/", {"hieu_luc": "in_force", "ngay": "2025-05-10"}, HTTP_HOST=HOST_A)
    assert a1.number in r.content.decode()
    r = client.get("/cong-bao/", {"hieu_luc": "expired", "ngay": "2025-06-01"}, HTTP_HOST=HOST_A)
    body = r.content.decode()
    assert a1.number in body and a2.number not in body


def test_document_page_with_dublin_core_files_relations_and_history(client, docs, make_doc):
    a1, *_ = docs
    newer = make_doc(number="21/2025/QĐ-UBND", issued_on=D(2025, 5, 2), effective_on=D(2025, 5, 2))
    services.event_add(document=a1, kind=EventKind.REPLACED, on=D(2025, 6, 1), caused_by=newer)
    r = client.get(f"/cong-bao/van-ban/{a1.pk}/", HTTP_HOST=HOST_A)
    body = r.content.decode()
    assert r.status_code == 200
    assert '<meta name="DC.identifier" content="10/2025/QĐ-UBND">' in body
    assert '<meta name="DC.format" content="application/pdf">' in body
    assert "Bị thay thế bởi" in body and newer.number in body
    assert "Hết hiệu lực toàn bộ" in body
    # the file is served byte for byte
    f = a1.files.get()
    r = client.get(f"/cong-bao/van-ban/{a1.pk}/tep/{f.pk}/", HTTP_HOST=HOST_A)
    served = b"".join(r.streaming_content)
    assert served == text_pdf("Quyết định", ["Quy chế quản lý cổng thông tin điện tử"]) or served[:5] == b"%PDF-"
    with f.file.open("rb") as fh:
        assert served == fh.read()
    r = client.get(f"/cong-bao/van-ban/{newer.pk}/", HTTP_HOST=HOST_A)
    assert "Thay thế" in r.content.decode() and a1.number in r.content.decode()


def test_exports_csv_and_xlsx_of_a_filtered_list(client, docs):
    from openpyxl import load_workbook

    a1, a2, b1 = docs
    r = client.get("/cong-bao/xuat.csv", {"loai": "Kế hoạch"}, HTTP_HOST=HOST_A)
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert a2.number in text and a1.number not in text and b1.number not in text
    r = client.get("/cong-bao/xuat.xlsx", {"qppl": "1"}, HTTP_HOST=HOST_A)
    ws = load_workbook(io.BytesIO(r.content)).active
    numbers = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert numbers == [a1.number]


def test_gazette_issue_page_pdf_and_feeds(client, docs, network):
    from pypdf import PdfReader

    a1, a2, _ = docs
    issue = services.issue_create(portal=network.portals["a"], year=2025, number=7,
                                  published_on=D(2025, 3, 20), documents=[a2, a1])
    r = client.get("/cong-bao/so/2025/7/", HTTP_HOST=HOST_A)
    body = r.content.decode()
    assert body.index(a2.number) < body.index(a1.number)
    a1.refresh_from_db()
    assert a1.gazette_issue == issue and a1.gazette_position == 2 and a1.gazette_number == "7/2025"
    r = client.get("/cong-bao/so/2025/7/pdf/", HTTP_HOST=HOST_A)
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 2  # contents page + a1's signed PDF
    assert "11/2025/KH-UBND" in reader.pages[0].extract_text()
    # another portal has no such issue
    assert client.get("/cong-bao/so/2025/7/", HTTP_HOST="syt.binhan.test").status_code == 404
    r = client.get("/cong-bao/rss/so.xml", HTTP_HOST=HOST_A)
    assert "Công báo số 7/2025" in r.content.decode()
    r = client.get("/cong-bao/rss/van-ban.xml", HTTP_HOST=HOST_A)
    assert a2.number in r.content.decode()


def test_content_document_item_links_to_its_gazette_entry_and_back(client, make_doc, network, publish_item):
    from cong.content.models import DocumentPage

    item = publish_item(network.portals["a"], model=DocumentPage, section="van-ban",
                        title="Công bố Quyết định 30/2025/QĐ-UBND", document_number="30/2025/QĐ-UBND")
    doc = make_doc(number="30/2025/QĐ-UBND", page=item)
    body = client.get(item.url, HTTP_HOST=HOST_A).content.decode()
    assert f'href="/cong-bao/van-ban/{doc.pk}/"' in body
    body = client.get(f"/cong-bao/van-ban/{doc.pk}/", HTTP_HOST=HOST_A).content.decode()
    assert "Công bố Quyết định 30/2025/QĐ-UBND" in body


def test_facet_links_are_url_encoded(client, make_doc):
    make_doc(number="31/2025/QĐ-UBND", issuer_name="Sở Kế hoạch & Đầu tư")
    body = client.get("/cong-bao/", HTTP_HOST=HOST_A).content.decode()
    assert "co_quan=S%E1%BB%9F+K%E1%BA%BF+ho%E1%BA%A1ch+%26+%C4%90%E1%BA%A7u+t%C6%B0" in body
    r = client.get("/cong-bao/", {"co_quan": "Sở Kế hoạch & Đầu tư"}, HTTP_HOST=HOST_A)
    assert "31/2025/QĐ-UBND" in r.content.decode()


def test_dates_in_sentences_read_ngay_once(client, docs, network):
    """vn_date writes 'ngày 12/3/2024' itself, so the sentences around it must
    not say 'ngày' again (no 'Phát hành ngày ngày 20/3/2025')."""
    from django.urls import reverse
    from django.utils import timezone

    a1, a2, _ = docs
    services.issue_create(portal=network.portals["a"], year=2025, number=7,
                          published_on=D(2025, 3, 20), documents=[a2, a1])
    today = timezone.localdate()
    today_text = f"ngày {today.day}/{today.month}/{today.year}"
    pages = {
        "/cong-bao/so/2025/7/": "Phát hành ngày 20/3/2025.",
        f"/cong-bao/van-ban/{a1.pk}/": f"Tình trạng hiệu lực {today_text}:",
        "/cong-bao/?ngay=2025-05-10": "<h3>Hiệu lực ngày 10/5/2025</h3>",
    }
    for path, sentence in pages.items():
        body = client.get(path, HTTP_HOST=HOST_A).content.decode()
        assert sentence in body, path
        assert "ngày ngày" not in body, path
    client.force_login(network.user("a", "thu_ky"))
    body = client.get(reverse("gazette_late_postings")).content.decode()
    assert f"Tính đến {today_text}; hạn đăng tính theo ngày làm việc." in body
    assert "ngày ngày" not in body
