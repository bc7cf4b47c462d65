"""Reports in the admin: download, submit to the province board, oversee."""

import datetime as dt

import pytest
from django.urls import reverse

from cong.reporting.models import ReportRequest, ReportSubmission
from cong.reporting.services import report_request_create, target_set
from cong.units.choices import BoardRole


@pytest.fixture
def targets(network):
    for key in ("province", "a", "b"):
        target_set(unit=network.units[key], year=2024, items=3000 if key != "province" else 16500)
    return network


def test_board_leader_downloads_the_report_of_their_portal_only(client, targets):
    net = targets
    client.force_login(net.user("a", BoardRole.CHIEF))
    url = reverse("reporting_home")
    data = {"unit": net.units["a"].pk, "kind": "quarterly", "year": 2024, "quarter": 1,
            "until": "2024-03-13", "output": "json"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["unit"]["code"] == "so-a"
    # another portal's unit is not a choice for them
    refused = client.post(url, {**data, "unit": net.units["b"].pk})
    assert refused["Content-Type"].startswith("text/html")
    assert "unit" in refused.context["form"].errors
    client.force_login(net.user("a", BoardRole.CONTRIBUTOR))
    assert client.get(url).status_code in (302, 403)


def test_request_submit_and_oversee(client, targets):
    net = targets
    req = report_request_create(
        requested_by=net.units["province"], kind="quarterly", year=2024, quarter=1,
        title="Báo cáo quý I/2024", deadline=dt.date(2024, 3, 20), units=[net.units["a"], net.units["b"]],
    )
    client.force_login(net.user("a", BoardRole.SECRETARY))
    start = client.get(reverse("reporting_submission_start", args=[req.pk, net.units["a"].pk]))
    assert start.status_code == 302
    submission = ReportSubmission.objects.get(unit=net.units["a"], request=req)
    assert submission.figures["items"]["target"] == 3000
    # the other portal's board cannot open it
    client.force_login(net.user("b", BoardRole.CHIEF))
    assert client.get(reverse("reporting_submission", args=[submission.pk])).status_code in (302, 403)
    assert client.get(reverse("reporting_submission_start", args=[req.pk, net.units["a"].pk])).status_code in (302, 403)
    client.force_login(net.user("a", BoardRole.SECRETARY))
    docx = client.post(reverse("reporting_submission", args=[submission.pk]),
                       {"action": "docx", "narrative": "Đề nghị tập huấn thêm về an toàn thông tin."})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    sent = client.post(reverse("reporting_submission", args=[submission.pk]),
                       {"action": "submit", "narrative": "Đề nghị tập huấn thêm."})
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.narrative == "Đề nghị tập huấn thêm."
    # the province board sees who submitted and who is late
    client.force_login(net.user("province", BoardRole.CHIEF))
    page = client.get(reverse("reporting_network"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Báo cáo quý I/2024" in html
    assert "đã gửi" in html and "quá hạn, chưa gửi" in html  # so-b never sent (deadline passed)
    xlsx = client.get(reverse("reporting_network"), {"xlsx": 1})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")


def test_adhoc_request_needs_its_period(targets):
    from cong.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="khoảng thời gian"):
        report_request_create(requested_by=targets.units["province"], kind="adhoc", year=2024, quarter=None,
                              title="Đột xuất", deadline=dt.date(2024, 5, 1), units=[targets.units["a"]])
    assert not ReportRequest.objects.exists()


def test_province_board_requests_an_adhoc_report_in_the_admin(client, targets):
    net = targets
    client.force_login(net.user("province", BoardRole.CHIEF))
    response = client.post(reverse("reporting_network"), {
        "kind": "adhoc", "year": 2024, "title": "Báo cáo đột xuất về an toàn thông tin",
        "period_start": "2024-02-01", "period_end": "2024-02-29", "deadline": "2024-03-05",
        "units": [net.units["a"].pk],
    })
    assert response.status_code == 302
    req = ReportRequest.objects.get(kind="adhoc")
    client.force_login(net.user("a", BoardRole.CHIEF))
    client.get(reverse("reporting_submission_start", args=[req.pk, net.units["a"].pk]))
    sub = ReportSubmission.objects.get(request=req)
    assert sub.figures["period"]["start"] == "2024-02-01" and sub.figures["period"]["until"] == "2024-02-29"


def test_only_the_province_board_oversees(client, targets):
    client.force_login(targets.user("a", BoardRole.CHIEF))
    assert client.get(reverse("reporting_network")).status_code in (302, 403)
    assert client.get(reverse("reporting_templates")).status_code in (302, 403)
