"""Vietnamese ways of writing numbers, percentages, durations and dates.

Administrative documents write ``2.563`` (dot for thousands), ``15,5%``
(comma for decimals), ``05 phút 50 giây`` and ``ngày 12/3/2024``. These
helpers are used by templates (through ``vn_format`` tags) and by reports,
so that every figure is written the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

ROMAN = ["", "I", "II", "III", "IV"]


def number(value: int | float | Decimal | None) -> str:
    """Write an integer with dots between thousands: 34713393 -> 34.713.393."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def decimal(value: float | Decimal, places: int = 1) -> str:
    """Write a decimal with a comma: 15.53 -> 15,5 (rounded half up)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{rounded:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = number(abs(int(whole)))
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def percent(part: float, whole: float, places: int = 1) -> str:
    """Write part/whole as a percentage: (2563, 16500) -> 15,5%."""
    if not whole:
        return "0%"
    return decimal(Decimal(part) * 100 / Decimal(whole), places) + "%"


def duration(seconds: float | int) -> str:
    """Write a visit length: 350 -> '05 phút 50 giây'; 3725 -> '01 giờ 02 phút 05 giây'."""
    total = int(Decimal(str(seconds)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours:02d} giờ {minutes:02d} phút {secs:02d} giây"
    return f"{minutes:02d} phút {secs:02d} giây"


def date(value: dt.date) -> str:
    """Write a date as in a document's date line: 'ngày 12/3/2024'."""
    return f"ngày {value.day}/{value.month}/{value.year}"


def date_long(value: dt.date) -> str:
    """Write 'ngày 12 tháng 3 năm 2024' (Decree 30/2020 date line).

    Days below 10 and months below 3 take a leading zero in that line.
    """
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


def quarter(q: int, year: int) -> str:
    """Write 'quý I/2024'."""
    return f"quý {ROMAN[q]}/{year}"


def count2(value: int) -> str:
    """Write a small count the administrative way, with two digits: 3 -> '03'."""
    return f"{value:02d}" if 0 <= value < 10 else number(value)


def fold(text: str) -> str:
    """Vietnamese without diacritics, lower case: 'Chuyển Đổi Số' -> 'chuyen doi so'."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
