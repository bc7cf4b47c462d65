"""CSV and XLSX exports of any filtered list of the register."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse

from .selectors import Filters, documents_filter

EXPORT_MAX_ROWS = 200_000
COLUMNS = (
    ("id", "Mã"), ("number", "Số, ký hiệu"), ("doc_type", "Loại văn bản"), ("normative", "QPPL"),
    ("issuer_name", "Cơ quan ban hành"), ("signer", "Người ký"), ("signer_title", "Chức vụ"),
    ("issued_on", "Ngày ban hành"), ("effective_on", "Ngày có hiệu lực"), ("expires_on", "Ngày hết hiệu lực"),
    ("field", "Lĩnh vực"), ("summary", "Trích yếu"), ("gazette_number", "Số công báo"),
    ("gazette_date", "Ngày công báo"), ("posted_at", "Ngày đăng"),
)


def _rows(filters: Filters):
    names = [c for c, _ in COLUMNS]
    qs = documents_filter(filters).order_by("-issued_on", "-id").values_list(*names)
    for row in qs[:EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        yield [
            ("x" if v else "") if names[i] == "normative"
            else (v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else v))
            for i, v in enumerate(row)
        ]


class _Echo:
    def write(self, value):
        return value


def export_csv(filters: Filters, filename: str = "van-ban.csv") -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so that spreadsheet programs read UTF-8
        yield writer.writerow([label for _, label in COLUMNS])
        for row in _rows(filters):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_xlsx(filters: Filters, filename: str = "van-ban.xlsx") -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Văn bản")
    ws.append([label for _, label in COLUMNS])
    for row in _rows(filters):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
