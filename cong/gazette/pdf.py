"""PDF making with fpdf2: the contents page of a gazette issue, and text
PDFs for tests, demos and the benchmark."""

from __future__ import annotations

from pathlib import Path

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
)


def _pdf():
    from fpdf import FPDF

    from cong.core.vn import fold

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    font = next((p for p in FONT_CANDIDATES if p.exists()), None)
    if font is not None:
        pdf.add_font("body", fname=str(font))
        pdf.set_font("body", size=11)
        return pdf, (lambda s: s)
    # Without a Unicode font, the core font shows the text without diacritics.
    pdf.set_font("helvetica", size=11)
    return pdf, fold


def text_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A PDF with a text layer: a title and paragraphs."""
    pdf, prepare = _pdf()
    pdf.add_page()
    pdf.set_font_size(14)
    pdf.multi_cell(0, 8, prepare(title))
    pdf.set_font_size(11)
    for para in paragraphs:
        pdf.ln(2)
        pdf.multi_cell(0, 6, prepare(para))
    return bytes(pdf.output())


def contents_page(title: str, lines: list[str]) -> bytes:
    return text_pdf(title, lines or ["(Số công báo chưa có văn bản.)"])


def image_only_pdf() -> bytes:
    """A PDF whose page is only an image, like a scan: no text layer."""
    import io

    from fpdf import FPDF
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 280), (250, 250, 245)).save(buf, "PNG")
    buf.seek(0)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=190)
    return bytes(pdf.output())
