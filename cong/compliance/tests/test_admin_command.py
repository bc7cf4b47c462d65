"""Check pages per portal, the network table with XLSX export, rule
switches, the registers in the admin; the command; background tasks."""

from __future__ import annotations

import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from cong.compliance import rules as rules_mod
from cong.compliance import services
from cong.compliance.models import CheckRun, RuleSwitch
from cong.units.choices import BoardRole


def refused(response):
    """Wagtail turns PermissionDenied into a redirect to the dashboard."""
    assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))


@pytest.fixture
def content_runs(network):
    """A content check of portals a and b (stored results)."""
    return {k: services.portal_check(network.portals[k], scope=rules_mod.CONTENT) for k in ("a", "b")}


def test_a_board_sees_its_check_page_with_what_to_do_and_never_another_portal(client, network, content_runs):
    client.force_login(network.user("a", BoardRole.EDITOR))
    response = client.get(reverse("compliance_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance_portal", args=[network.portals["a"].pk])
    html = client.get(response["Location"]).content.decode()
    assert "Chưa có cán bộ đầu mối nào." in html
    assert "Nhập cán bộ đầu mối với đủ họ tên, chức vụ, điện thoại và thư điện tử." in html
    assert 'href="/admin/snippets/units/official/add/"' in html
    assert "Nghị định 42/2022/NĐ-CP" in html or "Luật Tiếp cận thông tin" in html
    for url in (reverse("compliance_portal", args=[network.portals["b"].pk]),
                reverse("compliance_network"), reverse("compliance_rules")):
        refused(client.get(url))


def test_check_now_runs_in_the_background_and_keeps_history(client, network):
    portal = network.portals["b"]
    client.force_login(network.user("b", BoardRole.CHIEF))
    url = reverse("compliance_portal", args=[portal.pk])
    assert "Cổng chưa được kiểm tra lần nào." in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert CheckRun.objects.filter(portal=portal).count() == 2
    html = client.get(url).content.decode()
    assert "Kết quả lần kiểm tra gần nhất" in html and "Tiến độ" in html


def test_the_province_board_sees_the_network_table_and_exports_it(client, network, content_runs):
    client.force_login(network.user("province", BoardRole.CHIEF))
    html = client.get(reverse("compliance_network")).content.decode()
    for key in ("a", "b"):
        assert network.units[key].name in html
    response = client.get(reverse("compliance_network") + "?xlsx=1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[network.units["a"].name][2] == content_runs["a"].score
    assert rows[network.units["b"].name][3] == content_runs["b"].failed
    assert rows[network.units["province"].name][2] is None  # not checked yet


def test_switching_a_rule_off_from_the_admin_needs_a_reason(client, network):
    client.force_login(network.superuser)
    url = reverse("compliance_rules")
    assert "TT22.EMC" in client.get(url).content.decode()
    client.post(url, {"rule_id": "TT22.EMC", "reason": ""})
    assert not RuleSwitch.objects.exists()
    client.post(url, {"rule_id": "TT22.EMC", "reason": "Chưa được cấp mã"})
    assert RuleSwitch.objects.get().reason == "Chưa được cấp mã"
    client.post(url, {"rule_id": "TT22.EMC", "action": "on"})
    assert not RuleSwitch.objects.exists()


def test_trust_label_register_is_scoped_to_the_board(client, network):
    services.trust_label_save(unit=network.units["a"], certificate="TNM-AAA", issued_on=dt.date(2025, 1, 1))
    services.trust_label_save(unit=network.units["b"], certificate="TNM-BBB", issued_on=dt.date(2025, 1, 1))
    client.force_login(network.user("a", BoardRole.SECRETARY))
    html = client.get(reverse("compliance_trustlabel:index")).content.decode()
    assert "TNM-AAA" in html and "TNM-BBB" not in html
    other = services.trust_label_save(unit=network.units["b"], certificate="TNM-B2", issued_on=dt.date(2025, 2, 1))
    assert client.get(reverse("compliance_trustlabel:edit", args=[other.pk])).status_code in (403, 404)
    form = client.get(reverse("compliance_trustlabel:add")).content.decode()
    assert network.units["a"].name in form and network.units["b"].name not in form


def test_the_command_exits_non_zero_when_an_error_rule_fails(network, secure_settings):
    out = StringIO()
    with pytest.raises(CommandError, match="1 cổng không đạt quy tắc bắt buộc"):
        call_command("compliance", "check", "--unit", "so-b", "--scope", "content", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data[0]["portal"] == "so-b"
    failed = {r["rule"]: r for r in data[0]["results"] if r["status"] == "fail"}
    assert failed["ND.INFO06.DAU-MOI"]["message"] == "Chưa có cán bộ đầu mối nào."
    assert failed["ND.INFO06.DAU-MOI"]["basis"]
    with pytest.raises(CommandError, match="Không có cổng của đơn vị"):
        call_command("compliance", "check", "--unit", "khong-co", stdout=StringIO())


def test_the_command_passes_a_complete_portal(complete_portal):
    out = StringIO()
    call_command("compliance", "check", "--unit", "so-a", stdout=out)
    assert out.getvalue().splitlines()[0].startswith(f"{complete_portal.unit.name}: 100.0/100")


def test_the_command_checks_an_outside_address_and_reports_incomplete(db):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    out = StringIO()
    with pytest.raises(CommandError, match="chưa đầy đủ"):
        call_command("compliance", "check", "--url", f"http://127.0.0.1:{port}/", stdout=out)
    assert "(chưa đầy đủ)" in out.getvalue()


def test_periodic_jobs_are_registered_and_tasks_store_results(network, secure_settings):
    from cong.compliance.tasks import check_portal, trust_labels_daily
    from cong.core.scheduler import periodic_jobs

    names = {job.name for job in periodic_jobs()}
    assert {"compliance_trust_labels", "compliance_network_check"} <= names
    result = check_portal.enqueue(network.portals["b"].pk)
    assert CheckRun.objects.get(pk=result.return_value).portal == network.portals["b"]
    assert trust_labels_daily.enqueue().return_value == {"badges_changed": 0, "reminded": 0}


def test_maintenance_notices_are_kept_per_portal_in_the_admin(client, network):
    from django.utils import timezone

    start = timezone.now() + dt.timedelta(days=20)
    mine = services.maintenance_notice_create(portal=network.portals["a"], starts_at=start,
                                              ends_at=start + dt.timedelta(hours=2), message="Nâng cấp cổng Sở TT&TT")
    theirs = services.maintenance_notice_create(portal=network.portals["b"], starts_at=start,
                                                ends_at=start + dt.timedelta(hours=2), message="Nâng cấp cổng Sở Y tế")
    client.force_login(network.user("a", BoardRole.CHIEF))
    html = client.get(reverse("compliance_maintenance:index")).content.decode()
    assert str(network.portals["a"]) in html and str(network.portals["b"]) not in html
    assert client.get(reverse("compliance_maintenance:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("compliance_maintenance:edit", args=[theirs.pk])).status_code in (403, 404)


def test_a_notice_whose_restoration_precedes_its_start_is_refused(network):
    from django.utils import timezone

    from cong.core.errors import ApplicationError

    start = timezone.now() + dt.timedelta(days=20)
    with pytest.raises(ApplicationError, match="Thời điểm khôi phục phải sau thời điểm tạm ngừng"):
        services.maintenance_notice_create(portal=network.portals["a"], starts_at=start,
                                           ends_at=start - dt.timedelta(hours=1), message="x")


def test_the_network_check_scans_ahead_and_the_table_shows_outside_facts_apart(client, network, complete_portal):
    """The network check queues each portal's accessibility sample while the
    previous portal's rules run; the results are the same as one portal's
    check. Failures no content edit can fix are shown as such."""
    bare = network.portals["b"]
    runs = {r.portal_id: r for r in services.network_check(portals=[complete_portal, bare])}
    complete = dict(runs[complete_portal.pk].results.values_list("rule_id", "status"))
    assert complete["TT22.TIEP-CAN"] == "pass"
    assert {k: v for k, v in complete.items() if v != "pass"} == {}
    bare_results = dict(runs[bare.pk].results.values_list("rule_id", "status"))
    assert bare_results["TT22.TIEP-CAN"] in ("pass", "fail")  # scanned, not an error
    assert bare_results["TNM.NHAN"] == "fail"

    client.force_login(network.user("province", BoardRole.CHIEF))  # over HTTPS: production settings
    html = client.get(reverse("compliance_network"), secure=True).content.decode()
    assert "Phụ thuộc yếu tố bên ngoài" in html
    assert "Chứng nhận Tín nhiệm mạng do NCSC cấp và thời hạn của nó" in html
    ws = load_workbook(io.BytesIO(client.get(reverse("compliance_network") + "?xlsx=1", secure=True).content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    bare_row = rows[network.units["b"].name]
    outside_failed = [rid for rid in ("TNM.NHAN", "TT22.HTTPS") if bare_results[rid] == "fail"]
    assert bare_row[7] == runs[bare.pk].failed - len(outside_failed)
    assert "TNM.NHAN (Chứng nhận Tín nhiệm mạng do NCSC cấp" in bare_row[8]
    assert rows[network.units["a"].name][7] == 0 and rows[network.units["a"].name][8] is None

    client.force_login(network.user("b", BoardRole.CHIEF))
    page = client.get(reverse("compliance_portal", args=[bare.pk]), secure=True).content.decode()
    assert "Phụ thuộc yếu tố bên ngoài:" in page
