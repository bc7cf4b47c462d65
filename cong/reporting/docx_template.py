"""The built-in DOCX template of a report (docxtpl), laid out as Decree
30/2020/NĐ-CP Appendix I requires: A4, margins 20/20/30/15 mm, Times New Roman,
the two-column header (agency block; Quốc hiệu and Tiêu ngữ with the line
under it), "Số: …/BC-…", place and date in italics, "BÁO CÁO" and its summary,
"Kính gửi", the body, "Nơi nhận" (12 pt bold italic, list 11 pt) beside the
signature block, and page numbers centred in the top margin from page 2.

A province may upload its own template (ReportTemplate); it is rendered with
the same context (docs/reporting.md lists the variables).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = 14


def _font(run, size=BODY_SIZE, bold=False, italic=False, upper=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    return run


def _para(container, text="", *, size=BODY_SIZE, bold=False, italic=False, align="left",
          indent_first=None, space_after=0, space_before=0, keep=False):
    p = container.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(space_before)
    fmt.line_spacing = 1.15
    if indent_first is not None:
        fmt.first_line_indent = Cm(indent_first)
    if keep:
        fmt.keep_with_next = True
    if text:
        _font(p.add_run(text), size=size, bold=bold, italic=italic)
    return p


def _line_under(paragraph, indent_cm: float):
    """A solid line under a paragraph, shortened by equal indents (the line
    under the agency name and under the Tiêu ngữ)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table, widths):
    """Fixed column widths (Word and LibreOffice both honour the grid)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _rule(container, indent_cm: float, space_after=0):
    """A short solid line on its own (under the agency name, the Tiêu ngữ,
    the summary), centred by equal indents."""
    p = _para(container, "", size=4, align="center", space_after=space_after)
    _line_under(p, indent_cm)
    return p


def _page_number_field(paragraph):
    run = paragraph.add_run()
    _font(run, size=13)
    for tag, attrs in (("w:fldChar", {"w:fldCharType": "begin"}),
                       ("w:instrText", {}), ("w:fldChar", {"w:fldCharType": "end"})):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        run._r.append(el)


def build_default_template() -> bytes:
    """The built-in report template as DOCX bytes (docxtpl placeholders)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # Page numbers: centred in the top margin, not on page 1.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(number)

    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_SIZE)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    _no_borders(header)
    _widths(header, [Cm(6.8), Cm(9.7)])
    left, right = header.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(left.paragraphs[0].add_run("{{ header.governing_body }}"), size=13)
    _para(left, "{{ header.agency }}", size=13, bold=True, align="center")
    _rule(left, 2.2)
    _para(left, "Số:      /{{ header.symbol }}", size=13, align="center", space_before=6)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), size=12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align="center")
    _rule(right, 1.75)
    _para(right, "{{ header.place_date }}", size=14, italic=True, align="center", space_before=6)

    _para(doc, "BÁO CÁO", size=14, bold=True, align="center", space_before=18)
    _para(doc, "{{ header.summary }}", size=14, bold=True, align="center")
    _rule(doc, 6.5, space_after=6)
    _para(doc, "Kính gửi: {{ header.recipient }}", size=14, align="center", space_before=6, space_after=12)

    def body(text, **kw):
        return _para(doc, text, align="justify", indent_first=1.27, space_after=6, **kw)

    body("{%p for p in intro %}")
    body("{{ p }}")
    body("{%p endfor %}")
    body("I. KẾT QUẢ HOẠT ĐỘNG {{ period.label_upper }}", bold=True, keep=True)
    body("{%p for part in results %}")
    body("{{ part.heading }}", bold=True, keep=True)
    body("{%p for p in part.paragraphs %}")
    body("{{ p }}")
    body("{%p endfor %}")
    body("{%p endfor %}")
    body("II. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ plans.heading_upper }}", bold=True, keep=True)
    body("{%p for part in plans.parts %}")
    body("{{ part.heading }}", bold=True, keep=True)
    body("{%p for p in part.paragraphs %}")
    body("{{ p }}")
    body("{%p endfor %}")
    body("{%p endfor %}")
    body("{%p if narrative %}")
    body("III. ĐÁNH GIÁ, KIẾN NGHỊ", bold=True, keep=True)
    body("{%p for p in narrative %}")
    body("{{ p }}")
    body("{%p endfor %}")
    body("{%p endif %}")
    body("{{ closing }}")

    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    _no_borders(sign)
    _widths(sign, [Cm(8.5), Cm(8)])
    left, right = sign.rows[0].cells
    _font(left.paragraphs[0].add_run("Nơi nhận:"), size=12, bold=True, italic=True)
    _para(left, "{%p for r in recipients %}", size=11)
    _para(left, "{{ r }}", size=11)
    _para(left, "{%p endfor %}", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run("{{ signer.title }}"), size=14, bold=True)
    for _ in range(3):
        _para(right, "", size=14, align="center")
    _para(right, "{{ signer.name }}", size=14, bold=True, align="center")

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
