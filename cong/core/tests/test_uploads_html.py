import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cong.core.html import sanitize_html, text_only
from cong.core.uploads import MB, UploadRejected, check_upload


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def png_bytes(size=(20, 10)):
    buf = io.BytesIO()
    Image.new("RGB", size).save(buf, "PNG")
    return buf.getvalue()


def up(name, data):
    return SimpleUploadedFile(name, data)


def test_real_files_pass():
    assert check_upload(up("a.pdf", b"%PDF-1.7\n%%EOF"), allowed={"pdf"}, max_bytes=MB).kind == "pdf"
    assert check_upload(up("a.docx", docx_bytes()), allowed={"docx"}, max_bytes=MB).kind == "docx"
    assert check_upload(up("a.png", png_bytes()), allowed={"png"}, max_bytes=MB).kind == "png"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"MZ\x90\x00 executable", "không phải PDF"),
        ("a.docx", b"%PDF-1.4", "không phải DOCX"),
        ("a.png", b"GIF89a....", "không phải PNG"),
        ("a.exe", b"MZ", "chỉ nhận"),
        ("a.pdf", b"", "rỗng"),
    ],
)
def test_bytes_must_match_the_claimed_type(name, data, message):
    with pytest.raises(UploadRejected, match=message):
        check_upload(up(name, data), allowed={"pdf", "docx", "png"}, max_bytes=MB)


def test_oversized_files_are_refused():
    with pytest.raises(UploadRejected, match="quá lớn"):
        check_upload(up("a.pdf", b"%PDF-" + b"0" * (2 * MB)), allowed={"pdf"}, max_bytes=MB)


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (50 * MB))
    with pytest.raises(UploadRejected, match="bom nén"):
        check_upload(up("bomb.docx", buf.getvalue()), allowed={"docx"}, max_bytes=10 * MB)


def test_image_decompression_bomb_is_refused():
    data = png_bytes(size=(9000, 9000))  # 81 million pixels, a small file
    with pytest.raises(UploadRejected, match=r"điểm ảnh|bất thường"):
        check_upload(up("bomb.png", data), allowed={"png"}, max_bytes=10 * MB)


@pytest.mark.parametrize(
    "payload",
    [
        '<script>alert(1)</script><p>ok</p>',
        '<p onclick="alert(1)">ok</p>',
        '<a href="javascript:alert(1)">ok</a>',
        '<img src="x" onerror="alert(1)">',
        '<iframe src="https://evil.example"></iframe><p>ok</p>',
        '<svg><script>alert(1)</script></svg>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">ok</a>',
        '<style>body{display:none}</style><p>ok</p>',
    ],
)
def test_nothing_that_runs_survives_sanitising(payload):
    clean = sanitize_html(payload).lower()
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "data:text"):
        assert bad not in clean


def test_sanitising_keeps_structure_and_local_images():
    html = '<h2>Tiêu đề</h2><p><strong>Đậm</strong> <a href="https://gov.vn">liên kết</a></p><img src="/media/a.png" alt="Ảnh"><img src="https://old.example/b.png" alt="x">'
    clean = sanitize_html(html)
    assert "<h2>Tiêu đề</h2>" in clean
    assert 'href="https://gov.vn"' in clean
    assert 'rel="noopener noreferrer"' in clean
    assert 'src="/media/a.png"' in clean
    assert "old.example" not in clean


def test_text_only():
    assert text_only("<b>Xin</b> chào <script>x</script>") == "Xin chào"
    assert text_only("Sở TT&TT") == "Sở TT&TT"
    assert text_only("a &lt;b&gt;") == "a <b>"
