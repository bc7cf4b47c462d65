"""The report command: validation, outputs, Decree 30/2020 layout."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.shared import Mm

from cong.reporting.services import target_set


@pytest.fixture
def reportable(network, publish_item):
    target_set(unit=network.units["a"], year=2024, items=3000)
    tz = dt.timezone(dt.timedelta(hours=7))
    for i in range(4):
        publish_item(network.portals["a"], title=f"Tin quý I số {i}", slug=f"q1-{i}",
                     category="chuyen-doi-so" if i < 3 else "chi-dao-dieu-hanh",
                     when=dt.datetime(2024, 1, 10 + i, 9, tzinfo=tz))
    publish_item(network.portals["a"], title="Tin sau ngày chốt", slug="sau-chot",
                 when=dt.datetime(2024, 3, 20, 9, tzinfo=tz))
    return network


def run(*args):
    call_command("report", "quarterly", *args)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "so-a", "--year", "2024", "--quarter", "5"], "Quý phải từ 1 đến 4"),
        (["--unit", "so-a", "--year", "2024", "--quarter", "1", "--until", "2024-04-02"], "nằm ngoài kỳ"),
        (["--unit", "so-a", "--year", "2099", "--quarter", "1"], "chưa bắt đầu"),
        (["--unit", "so-b", "--year", "2024", "--quarter", "1", "--until", "2024-03-13"], "chưa có chỉ tiêu"),
        (["--unit", "khong-co", "--year", "2024", "--quarter", "1"], "Không có đơn vị"),
        (["--unit", "so-a", "--year", "2024", "--quarter", "1", "--until", "13/03/2024"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_names_the_problem_and_writes_nothing(reportable, tmp_path, args, message):
    out = tmp_path / "bc.docx"
    with pytest.raises(CommandError, match=message):
        run(*args, "--output", str(out))
    assert not out.exists()


def test_a_unit_without_a_portal_is_refused(reportable, tmp_path):
    from cong.units import services

    services.unit_create(name="Tổ công tác", unit_type="other", code="to-ct")
    target_set(unit=services.Unit.objects.get(code="to-ct"), year=2024, items=10)
    out = tmp_path / "bc.json"
    with pytest.raises(CommandError, match="chưa có cổng"):
        run("--unit", "to-ct", "--year", "2024", "--quarter", "1", "--output", str(out))
    assert not out.exists()


def test_a_future_until_is_refused(reportable, tmp_path):
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    year = dt.date.today().year
    quarter = (dt.date.today().month - 1) // 3 + 1
    with pytest.raises(CommandError, match=r"tương lai|nằm ngoài kỳ"):
        run("--unit", "so-a", "--year", str(year), "--quarter", str(quarter), "--until", future,
            "--output", str(tmp_path / "x.json"))


def test_json_carries_every_figure(reportable, tmp_path):
    out = tmp_path / "bc.json"
    run("--unit", "so-a", "--year", "2024", "--quarter", "1", "--until", "2024-03-13", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["period"]["label"] == "quý I/2024"
    assert data["period"]["until_text"] == "ngày 13/3/2024"
    assert data["items"]["total"] == 4
    assert data["items"]["target"] == 3000
    assert data["items"]["target_percent"] == "0,1%"
    cats = {c["slug"]: c["count"] for c in data["items"]["by_category"]}
    assert cats == {"chuyen-doi-so": 3, "chi-dao-dieu-hanh": 1}


def test_docx_follows_decree_30_layout(reportable, tmp_path):
    out = tmp_path / "bc.docx"
    run("--unit", "so-a", "--year", "2024", "--quarter", "1", "--until", "2024-03-13", "--output", str(out))
    doc = Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml  # page numbers from page 2
    header = doc.tables[0]
    left = header.rows[0].cells[0].text
    right = header.rows[0].cells[1].text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in left and "Số:" in left and "/BC-STTTT" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Kính gửi:" in text
    assert "4 thông tin các loại" in text and "đạt 0,1% so với chỉ tiêu kế hoạch năm 2024" in text
    assert "3.000 thông tin/năm" in text
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    sign = doc.tables[1]
    assert sign.rows[0].cells[0].paragraphs[0].runs[0].font.italic
    assert "Nơi nhận:" in sign.rows[0].cells[0].text and "Lưu: VT." in sign.rows[0].cells[0].text
    assert sign.rows[0].cells[1].text.strip()  # the signer's title


def test_pdf_through_libreoffice(reportable, tmp_path):
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (scripts/system-packages.sh installs it)")
    out = tmp_path / "bc.pdf"
    run("--unit", "so-a", "--year", "2024", "--quarter", "1", "--until", "2024-03-13", "--output", str(out))
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    assert reader.pages[0].mediabox.width == pytest.approx(Mm(210).pt, abs=2)
    assert "BÁO CÁO" in reader.pages[0].extract_text()


def test_a_broken_custom_template_is_refused_with_the_reason(reportable):
    from cong.core.errors import ApplicationError
    from cong.reporting.documents import report_context, validate_template
    from cong.reporting.figures import report_figures
    from cong.reporting.periods import period_for

    period = period_for(kind="quarterly", year=2024, quarter=1, until=dt.date(2024, 3, 13), today=dt.date.today())
    context = report_context(report_figures(unit=reportable.units["a"], period=period))
    with pytest.raises(ApplicationError, match="không phải DOCX"):
        validate_template(b"%PDF-1.4 this is not a docx", context)
    broken = Document()
    broken.add_paragraph("{% for x in %} hỏng {{ ")
    import io

    buf = io.BytesIO()
    broken.save(buf)
    with pytest.raises(ApplicationError, match="Mẫu báo cáo không dùng được"):
        validate_template(buf.getvalue(), context)
