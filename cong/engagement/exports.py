"""The synthesis report of a consultation (bản tổng hợp, tiếp thu, giải trình
ý kiến góp ý): every comment with its disposition, as an editable DOCX and an
XLSX."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cong.core import vn

from .models import Consultation

HEADERS = ("STT", "Điều khoản", "Tổ chức, cá nhân góp ý", "Nội dung góp ý",
           "Tiếp thu, giải trình", "Nội dung tiếp thu, giải trình")


def synthesis_rows(consultation: Consultation) -> list[tuple[str, ...]]:
    """One row per comment, hidden ones included (with the reason they were hidden)."""
    rows = []
    comments = consultation.comments.select_related("article").order_by("submitted_at", "pk")
    for n, c in enumerate(comments, start=1):
        author = c.organisation or c.name or _("Ẩn danh")
        body = c.body
        if c.hidden_at:
            body = f"{body}\n[{_('Đã ẩn trên cổng')}: {c.hidden_reason}]"
        rows.append((
            str(n), str(c.article) if c.article else _("Toàn bộ dự thảo"), author, body,
            c.get_disposition_display() if c.disposition else _("Chưa xử lý"), c.response,
        ))
    return rows


def synthesis_docx(consultation: Consultation) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # landscape A4
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(_("BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý"))
    run.bold = True
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(consultation.title).bold = True
    doc.add_paragraph(
        _("Cơ quan chủ trì soạn thảo: %(agency)s. Thời gian lấy ý kiến: %(start)s đến %(end)s.")
        % {"agency": consultation.drafting_agency,
           "start": vn.date(timezone.localtime(consultation.opens_at).date()),
           "end": vn.date(timezone.localtime(consultation.closes_at).date())}
    )
    rows = synthesis_rows(consultation)
    doc.add_paragraph(_("Tổng số ý kiến góp ý: %(n)s.") % {"n": vn.number(len(rows))})
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def synthesis_xlsx(consultation: Consultation) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tong hop gop y"
    ws.append([consultation.title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in synthesis_rows(consultation):
        ws.append([int(row[0]), *row[1:]])
    for col, width in zip("ABCDEF", (6, 24, 28, 60, 18, 60), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
