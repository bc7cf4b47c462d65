"""Spreadsheets of legal documents as provinces keep them (XLSX or CSV),
turned into ``legal_document`` records for the records importer: the same
validation, atomicity and error listing as ``import_records``; an error's
line number is the spreadsheet's row number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

from cong.core.errors import ApplicationError
from cong.core.records import LOCAL_TZ
from cong.core.vn import fold

from .services import name_key, number_key

# Folded header → record field. ``--map`` adds to or overrides these.
DEFAULT_COLUMNS = {
    "ma": "id", "id": "id", "ma van ban": "id",
    "don vi": "unit", "cong": "unit",
    "so ky hieu": "number", "so, ky hieu": "number", "so/ky hieu": "number", "so hieu": "number",
    "so van ban": "number",
    "loai van ban": "doc_type", "hinh thuc": "doc_type", "hinh thuc van ban": "doc_type", "loai": "doc_type",
    "qppl": "normative", "van ban qppl": "normative", "quy pham phap luat": "normative",
    "co quan ban hanh": "issuer", "noi ban hanh": "issuer",
    "ngay ban hanh": "issued_on",
    "ngay dang": "posted_at", "ngay dang tai": "posted_at", "ngay dang tren cong": "posted_at",
    "trich yeu": "summary", "trich yeu noi dung": "summary",
    "nguoi ky": "signer", "chuc vu": "signer_title", "chuc vu nguoi ky": "signer_title",
    "ngay hieu luc": "effective_on", "ngay co hieu luc": "effective_on",
    "ngay het hieu luc": "expires_on", "linh vuc": "field",
    "so cong bao": "gazette_number", "ngay cong bao": "gazette_date",
}
DATE_FIELDS = {"issued_on", "effective_on", "expires_on", "gazette_date"}
TRUE_WORDS = {"x", "co", "1", "true", "yes", "qppl", "dung"}
FALSE_WORDS = {"", "khong", "0", "false", "no", "sai"}


def _header_key(value) -> str:
    return re.sub(r"\s+", " ", fold(str(value or ""))).strip(" :*")


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``--map "Số KH=number"`` options → {folded header: field}."""
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise ApplicationError(f"Ánh xạ cột không hợp lệ: '{pair}' (dạng 'Tên cột=trường').")
        header, field = pair.rsplit("=", 1)
        mapping[_header_key(header)] = field.strip()
    return mapping


def _rows(path: Path) -> Iterator[list]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ApplicationError(f"Không đọc được tệp {path.name}: không phải XLSX hợp lệ.") from exc
        yield from (list(r) for r in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
    elif suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        yield from csv.reader(io.StringIO(text), dialect)
    else:
        raise ApplicationError(f"Chỉ nhận tệp .xlsx hoặc .csv, không nhận {path.name}.")


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        d, mth, y = map(int, m.groups())
        try:
            return dt.date(y, mth, d).isoformat()
        except ValueError:
            return text
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else text


def _datetime(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2}))?", text)
    if m:
        d, mth, y = int(m[1]), int(m[2]), int(m[3])
        hh, mm = int(m[4] or 8), int(m[5] or 0)
        try:
            return dt.datetime(y, mth, d, hh, mm, tzinfo=LOCAL_TZ).isoformat()
        except ValueError:
            return text
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(8)).isoformat()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text}T08:00:00"
    return text


def _bool(value):
    if isinstance(value, bool):
        return value
    word = fold(str(value if value is not None else "")).strip()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return str(value)  # the importer lists it as "phải là true hoặc false"


def records_from_spreadsheet(path: Path, *, unit: str | None, mapping: dict[str, str] | None = None) -> list[str]:
    """JSON lines, one per spreadsheet row (header rows become blank lines,
    so that line numbers are row numbers)."""
    columns = {**DEFAULT_COLUMNS, **(mapping or {})}
    rows = _rows(path)
    lines: list[str] = []
    header = None
    for row in rows:
        if header is None:
            keys = [_header_key(c) for c in row]
            if any(k in columns for k in keys):
                header = [columns.get(k) for k in keys]
                missing = {"number", "issuer"} - set(header)
                if missing:
                    raise ApplicationError(f"Thiếu cột bắt buộc: {', '.join(sorted(missing))}.")
            lines.append("")
            continue
        if not any(str(c or "").strip() for c in row):
            lines.append("")
            continue
        record: dict = {"kind": "legal_document"}
        for field, value in zip(header, row, strict=False):
            if not field:
                continue
            if field in DATE_FIELDS:
                value = _date(value) if value not in (None, "") else None
            elif field == "posted_at":
                value = _datetime(value) if value not in (None, "") else None
            elif field == "normative":
                value = _bool(value)
            elif isinstance(value, float) and value.is_integer():
                value = str(int(value))
            elif value is not None:
                value = str(value).strip()
            if value in (None, ""):
                continue
            record[field] = value
        if "unit" not in record and unit:
            record["unit"] = unit
        if "id" not in record:
            record["id"] = f"{name_key(str(record.get('issuer', '')))}|{number_key(str(record.get('number', '')))}"
        lines.append(json.dumps(record, ensure_ascii=False))
    if header is None:
        raise ApplicationError("Không tìm thấy dòng tiêu đề (ví dụ: “Số ký hiệu”, “Cơ quan ban hành”).")
    return lines
