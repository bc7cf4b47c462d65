import datetime as dt

import pytest

from cong.core import vn


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (95, "95"), (2563, "2.563"), (34713393, "34.713.393"), (365629073, "365.629.073")],
)
def test_number_uses_dots_between_thousands(value, expected):
    assert vn.number(value) == expected


def test_percent_rounds_half_up_with_a_comma():
    assert vn.percent(2563, 16500) == "15,5%"
    assert vn.percent(1, 8) == "12,5%"
    assert vn.percent(0, 0) == "0%"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(350, "05 phút 50 giây"), (59.6, "01 phút 00 giây"), (3725, "01 giờ 02 phút 05 giây")],
)
def test_duration(seconds, expected):
    assert vn.duration(seconds) == expected


def test_dates_follow_administrative_usage():
    assert vn.date(dt.date(2024, 3, 12)) == "ngày 12/3/2024"
    assert vn.date_long(dt.date(2024, 3, 5)) == "ngày 05 tháng 3 năm 2024"
    assert vn.date_long(dt.date(2024, 2, 15)) == "ngày 15 tháng 02 năm 2024"
    assert vn.quarter(1, 2024) == "quý I/2024"
