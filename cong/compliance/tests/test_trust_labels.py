"""Trust labels: the import kind, the register's figures (reporting
contract), the footer badge rendered from the register, reminders."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cong.compliance import services
from cong.compliance.models import TrustLabel
from cong.compliance.selectors import portal_has_trust_label, trust_label_coverage
from cong.units import services as unit_services
from cong.units.models import PortalSettings

D = dt.date


def jsonl(tmp_path, records):
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def run_import(path, *args):
    out = StringIO()
    call_command("import_records", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts(out):
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "trust_label":
            return list(map(int, parts[1:]))
    return None


def test_the_trust_label_kind_imports_idempotently_and_updates(network, tmp_path):
    records = [
        {"kind": "trust_label", "id": "tnm-1", "unit": "so-a", "certificate": "TNM-001",
         "issued_on": "2025-03-01", "expires_on": "2027-02-28"},
        {"kind": "trust_label", "id": "tnm-2", "unit": "so-b", "certificate": "TNM-002",
         "issued_on": "2025-05-10", "issuer": "VNISA"},
    ]
    path = jsonl(tmp_path, records)
    assert counts(run_import(path)) == [2, 0, 0, 0]
    assert counts(run_import(path)) == [0, 0, 2, 0]
    a = TrustLabel.objects.get(certificate="TNM-001")
    assert (a.unit, a.issuer, a.issued_on, a.expires_on) == (network.units["a"], "NCSC", D(2025, 3, 1), D(2027, 2, 28))
    assert TrustLabel.objects.get(certificate="TNM-002").expires_on is None
    records[0]["expires_on"] = "2026-02-28"
    assert counts(run_import(jsonl(tmp_path, records))) == [0, 1, 1, 0]
    assert TrustLabel.objects.get(pk=a.pk).expires_on == D(2026, 2, 28)
    assert TrustLabel.objects.count() == 2


def test_invalid_trust_labels_are_refused_line_by_line(network, tmp_path):
    path = jsonl(tmp_path, [
        {"kind": "trust_label", "id": "x1", "unit": "so-a", "certificate": "C", "issued_on": "2025-03-01",
         "expires_on": "2025-01-01"},
        {"kind": "trust_label", "id": "x2", "unit": "khong-co", "certificate": "C", "issued_on": "2025-03-01"},
        {"kind": "trust_label", "id": "x3", "unit": "so-a", "issued_on": "2025-03-01", "domain": "a.vn"},
    ])
    with pytest.raises(CommandError):
        run_import(path)
    assert not TrustLabel.objects.exists()


def test_coverage_counts_active_child_units_by_type_on_the_day(network):
    province = network.units["province"]
    communes = [unit_services.unit_create(name=f"UBND xã {n}", unit_type="commune", code=f"xa-{n}",
                                          parent=province) for n in ("mot", "hai", "ba")]
    closed = unit_services.unit_create(name="UBND xã Cũ", unit_type="commune", code="xa-cu", parent=province)
    unit_services.unit_deactivate(unit=closed)
    label = services.trust_label_save
    label(unit=network.units["a"], certificate="A", issued_on=D(2025, 1, 1), expires_on=D(2025, 12, 31))
    label(unit=communes[0], certificate="C1", issued_on=D(2025, 6, 1))
    label(unit=communes[1], certificate="C2", issued_on=D(2025, 1, 1), expires_on=D(2025, 6, 30))
    label(unit=closed, certificate="C0", issued_on=D(2025, 1, 1))
    label(unit=province, certificate="P", issued_on=D(2025, 1, 1))  # not a child of itself

    assert trust_label_coverage(province, D(2025, 6, 30)) == [
        {"unit_type": "department", "labelled": 1, "total": 2},
        {"unit_type": "commune", "labelled": 2, "total": 3},
    ]
    assert trust_label_coverage(province, D(2026, 1, 1)) == [
        {"unit_type": "department", "labelled": 0, "total": 2},
        {"unit_type": "commune", "labelled": 1, "total": 3},
    ]
    assert trust_label_coverage(communes[0], D(2026, 1, 1)) == []


def test_a_portal_holds_a_label_between_issue_and_expiry_inclusive(network):
    portal = network.portals["b"]
    services.trust_label_save(unit=portal.unit, certificate="B", issued_on=D(2025, 2, 1), expires_on=D(2026, 1, 31))
    assert not portal_has_trust_label(portal, D(2025, 1, 31))
    assert portal_has_trust_label(portal, D(2025, 2, 1))
    assert portal_has_trust_label(portal, D(2026, 1, 31))
    assert not portal_has_trust_label(portal, D(2026, 2, 1))
    assert not portal_has_trust_label(network.portals["a"], D(2025, 6, 1))


def test_a_label_with_expiry_before_issue_is_refused(network):
    from cong.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="Ngày hết hạn phải sau ngày cấp"):
        services.trust_label_save(unit=network.units["a"], certificate="X", issued_on=D(2025, 2, 1),
                                  expires_on=D(2025, 1, 1))


def test_the_footer_badge_follows_the_register(network, host_client, django_capture_on_commit_callbacks):
    from django.utils import timezone

    portal = network.portals["a"]
    today = timezone.localdate()
    url = "https://tinnhiemmang.vn/danh-ba-tin-nhiem/sttttbinhantest-1"
    client = host_client(portal.site.hostname)
    assert "tinnhiemmang.vn" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        label = services.trust_label_save(unit=portal.unit, certificate="TNM-9", issued_on=today - dt.timedelta(days=10),
                                          expires_on=today + dt.timedelta(days=5), certificate_url=url)
    assert PortalSettings.for_site(portal.site).trust_badge_url == url
    assert f'href="{url}"' in client.get("/").content.decode()
    # Six days later the label has expired: the daily job takes the badge down.
    result = services.trust_labels_daily(today + dt.timedelta(days=6))
    assert result["badges_changed"] == 1
    assert "tinnhiemmang.vn" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        label.delete()
    assert PortalSettings.for_site(portal.site).trust_badge_url == ""


def test_board_leaders_are_reminded_once_before_expiry_unless_renewed(network):
    from django.utils import timezone

    today = timezone.localdate()
    chief = network.user("a", "truong_ban")
    chief.email = "truongban@stttt.binhan.gov.vn"
    chief.save()
    editor = network.user("a", "bien_tap_vien")
    editor.email = "btv@stttt.binhan.gov.vn"
    editor.save()
    services.trust_label_save(unit=network.units["a"], certificate="TNM-A", issued_on=today - dt.timedelta(days=300),
                              expires_on=today + dt.timedelta(days=20))
    services.trust_label_save(unit=network.units["b"], certificate="TNM-B", issued_on=today - dt.timedelta(days=300),
                              expires_on=today + dt.timedelta(days=20))
    services.trust_label_save(unit=network.units["b"], certificate="TNM-B2", issued_on=today,
                              expires_on=today + dt.timedelta(days=400))
    assert services.trust_labels_daily(today)["reminded"] == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["truongban@stttt.binhan.gov.vn"]
    assert "TNM-A" in message.body and (today + dt.timedelta(days=20)).strftime("%d/%m/%Y") in message.body
    assert services.trust_labels_daily(today)["reminded"] == 0
    assert len(mail.outbox) == 1
