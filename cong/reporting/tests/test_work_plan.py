import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cong.reporting.models import WorkPlanTask
from cong.units.choices import BoardRole


def test_due_labels_and_overdue(network):
    unit = network.units["province"]
    by_q2 = WorkPlanTask.objects.create(unit=unit, title="Gắn mã EMC", year=2024, due_quarter=2)
    regular = WorkPlanTask.objects.create(unit=unit, title="Rà soát Chương II Nghị định 42", year=2024, recurring=True)
    from_april = WorkPlanTask.objects.create(unit=unit, title="Chuyên mục truyền thông chính sách", year=2024,
                                             recurring=True, starts_on=dt.date(2024, 4, 1))
    assert by_q2.due_label() == "quý II/2024"
    assert regular.due_label() == "thường xuyên"
    assert from_april.due_label() == "từ tháng 4/2024"
    assert by_q2.is_overdue(dt.date(2024, 7, 1)) and not by_q2.is_overdue(dt.date(2024, 6, 30))
    assert not regular.is_overdue(dt.date(2030, 1, 1))
    by_q2.status = WorkPlanTask.Status.DONE
    with pytest.raises(ValidationError):
        by_q2.full_clean()  # done needs evidence
    by_q2.evidence_url = "https://binhan.test/admin/settings/units/portalsettings/1/"
    by_q2.full_clean()
    assert not by_q2.is_overdue(dt.date(2024, 7, 1))


def test_work_plan_in_the_report_and_scoped_in_the_admin(client, network, publish_item):
    from cong.reporting.figures import work_plan_section
    from cong.reporting.periods import period_for

    WorkPlanTask.objects.create(unit=network.units["a"], title="Ban hành quy chế quản lý cổng", year=2024, due_quarter=1)
    WorkPlanTask.objects.create(unit=network.units["b"], title="Nhiệm vụ của Sở Y tế", year=2024, due_quarter=2)
    period = period_for(kind="quarterly", year=2024, quarter=2, until=dt.date(2024, 6, 30), today=dt.date(2024, 7, 5))
    tasks = work_plan_section(network.units["a"], period, dt.date(2024, 7, 5))
    assert [t["title"] for t in tasks] == ["Ban hành quy chế quản lý cổng"]
    assert tasks[0]["overdue"] and tasks[0]["due"] == "quý I/2024"
    client.force_login(network.user("a", BoardRole.SECRETARY))
    listing = client.get(reverse("reporting_workplan:index")).content.decode()
    assert "Ban hành quy chế quản lý cổng" in listing and "Nhiệm vụ của Sở Y tế" not in listing
