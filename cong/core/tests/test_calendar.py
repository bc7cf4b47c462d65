import datetime as dt

import pytest

from cong.core.calendar import add_working_days, is_working_day, working_days_between
from cong.core.models import CalendarDay

D = dt.date


def test_tet_2024_and_weekends_are_not_working_days(db):
    # Tết Giáp Thìn: 8–14 February 2024
    for day in range(8, 15):
        assert not is_working_day(D(2024, 2, day))
    assert is_working_day(D(2024, 2, 7))
    assert is_working_day(D(2024, 2, 15))
    assert not is_working_day(D(2024, 2, 17))  # Saturday


def test_a_swapped_saturday_is_worked(db):
    # 29/4/2024 (Monday) off, in exchange for Saturday 4/5/2024.
    assert not is_working_day(D(2024, 4, 29))
    assert is_working_day(D(2024, 5, 4))


def test_deadlines_cross_tet(db):
    # Received on 5/2/2024 (Monday): 15 working days skip Tết and weekends.
    assert add_working_days(D(2024, 2, 5), 15) == D(2024, 3, 4)
    assert working_days_between(D(2024, 2, 5), D(2024, 3, 4)) == 15
    assert add_working_days(D(2024, 2, 2), 1) == D(2024, 2, 5)  # Friday -> Monday


def test_the_province_declares_its_own_days(db):
    monday = D(2024, 3, 11)
    assert is_working_day(monday)
    CalendarDay.objects.create(date=monday, kind="off", name="Nghỉ lễ địa phương")
    assert not is_working_day(monday)
    saturday = D(2024, 3, 16)
    CalendarDay.objects.create(date=saturday, kind="work", name="Làm bù")
    assert is_working_day(saturday)
    CalendarDay.objects.get(date=monday).delete()
    assert is_working_day(monday)


def test_negative_days_are_refused(db):
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2024, 1, 2), -1)
