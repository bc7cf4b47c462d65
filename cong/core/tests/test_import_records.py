"""The records exchange contract (docs/import-format.md), through the command."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cong.core.models import ImportedRecord
from cong.reporting.models import AnnualTarget
from cong.units.models import Portal, Unit


def write_jsonl(tmp_path, records, name="records.jsonl"):
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_records", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_records", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), exc.value


def counts(out, kind):
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == kind:
            return dict(zip(["created", "updated", "unchanged", "invalid"], map(int, parts[1:]), strict=True))
    return None


NETWORK = [
    # Children come before their parent: order inside a file does not matter.
    {"kind": "unit", "id": "xa-tan-lap", "name": "UBND xã Tân Lập", "type": "commune",
     "parent": "huyen-dong-phu", "hostname": "tanlap.dongphu.test"},
    {"kind": "target", "id": "t-tinh-2024", "unit": "tinh-moi", "year": 2024, "items": 16500},
    {"kind": "unit", "id": "tinh-moi", "name": "Tỉnh Mới", "type": "province",
     "hostname": "tinhmoi.test", "short_name": "Tỉnh Mới", "email": "bbt@tinhmoi.test"},
    {"kind": "unit", "id": "huyen-dong-phu", "name": "UBND huyện Đồng Phú", "type": "district",
     "parent": "tinh-moi", "hostname": "dongphu.test"},
    {"kind": "target", "id": "t-dp-2024", "unit": "huyen-dong-phu", "year": 2024, "items": 3000},
    "",
    {"kind": "unit", "id": "so-cu", "name": "Sở Cũ", "type": "department", "parent": "tinh-moi",
     "active": False},
]


def test_import_creates_units_portals_and_targets_and_is_idempotent(network, tmp_path):
    path = write_jsonl(tmp_path, NETWORK)
    out, err = run(path)
    assert err == ""
    assert counts(out, "unit") == {"created": 4, "updated": 0, "unchanged": 0, "invalid": 0}
    assert counts(out, "target") == {"created": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    commune = Unit.objects.get(code="xa-tan-lap")
    assert commune.parent.code == "huyen-dong-phu"
    assert commune.parent.parent.code == "tinh-moi"
    assert Portal.objects.get(unit=commune).site.hostname == "tanlap.dongphu.test"
    assert not Unit.objects.get(code="so-cu").active
    assert not Portal.objects.filter(unit__code="so-cu").exists()
    assert AnnualTarget.objects.get(unit__code="tinh-moi", year=2024).items == 16500

    out, _ = run(path)
    assert counts(out, "unit") == {"created": 0, "updated": 0, "unchanged": 4, "invalid": 0}
    assert counts(out, "target") == {"created": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    assert Unit.objects.filter(code__in=["tinh-moi", "huyen-dong-phu", "xa-tan-lap", "so-cu"]).count() == 4
    assert AnnualTarget.objects.filter(unit__code="tinh-moi").count() == 1


def test_a_changed_record_updates_the_earlier_one(network, tmp_path):
    run(write_jsonl(tmp_path, NETWORK))
    changed = [dict(r) for r in NETWORK if r]
    changed[1]["items"] = 17000
    changed[2]["name"] = "Tỉnh Mới (đổi tên)"
    out, _ = run(write_jsonl(tmp_path, changed, "v2.jsonl"))
    assert counts(out, "unit")["updated"] == 1
    assert counts(out, "target")["updated"] == 1
    assert AnnualTarget.objects.get(unit__code="tinh-moi", year=2024).items == 17000
    assert Unit.objects.get(code="tinh-moi").name == "Tỉnh Mới (đổi tên)"
    assert Unit.objects.filter(name__startswith="Tỉnh Mới").count() == 1


BAD = [
    {"kind": "unit", "id": "ok-1", "name": "Sở Tốt", "type": "department"},
    {"kind": "unit", "id": "bad-field", "name": "Sở Lạ", "type": "department", "colour": "red"},
    {"kind": "unit", "id": "bad-type", "name": "Sở Sai", "type": "ministry"},
    {"kind": "unit", "id": "bad-ref", "name": "Sở Mồ côi", "type": "department", "parent": "khong-co"},
    {"kind": "target", "id": "bad-year", "unit": "ok-1", "year": "2024", "items": 10},
    '{"kind": "unit", "id": ',
    {"kind": "mystery", "id": "x"},
    {"kind": "unit", "name": "Không mã", "type": "other"},
    {"kind": "unit", "id": "cycle-1", "name": "Vòng 1", "type": "other", "parent": "cycle-2"},
    {"kind": "unit", "id": "cycle-2", "name": "Vòng 2", "type": "other", "parent": "cycle-1"},
    {"kind": "unit", "id": "dup-host", "name": "Sở Trùng", "type": "department", "hostname": "stttt.binhan.test"},
    {"kind": "unit", "id": "ok-1", "name": "Sở Tốt lần hai", "type": "department"},
]


def test_invalid_lines_are_all_listed_and_nothing_is_written(network, tmp_path):
    before = (Unit.objects.count(), ImportedRecord.objects.count(), AnnualTarget.objects.count())
    _out, err, exc = run_failing(write_jsonl(tmp_path, BAD))
    assert exc.returncode == 1
    lines = err.splitlines()
    assert "line 2: colour: trường không xác định" in lines
    assert any(line.startswith("line 3: type: ") for line in lines)
    assert any(line.startswith("line 4: parent: không tìm thấy unit 'khong-co'") for line in lines)
    assert any(line.startswith("line 5: year: ") for line in lines)
    assert any(line.startswith("line 6: -: ") for line in lines)
    assert any(line.startswith("line 7: kind: ") for line in lines)
    assert any(line.startswith("line 8: id: ") for line in lines)
    assert any(line.startswith("line 9: parent: ") and "vòng lặp" in line for line in lines)
    assert any(line.startswith("line 10: parent: ") and "vòng lặp" in line for line in lines)
    assert any(line.startswith("line 11: hostname: ") and "stttt.binhan.test" in line for line in lines)
    assert any(line.startswith("line 12: id: ") and "dòng 1" in line for line in lines)
    assert not any(line.startswith("line 1:") for line in lines)
    assert (Unit.objects.count(), ImportedRecord.objects.count(), AnnualTarget.objects.count()) == before
    assert not Unit.objects.filter(code="ok-1").exists()


def test_skip_invalid_writes_the_valid_lines_and_counts_the_rest(network, tmp_path):
    out, err = run(write_jsonl(tmp_path, BAD), "--skip-invalid")
    assert Unit.objects.filter(code="ok-1").exists()
    assert not Unit.objects.filter(code__in=["bad-field", "bad-type", "bad-ref", "cycle-1", "dup-host"]).exists()
    c = counts(out, "unit")
    assert c["created"] == 1
    assert c["invalid"] == 8
    assert counts(out, "target")["invalid"] == 1
    assert "line 11: hostname:" in err


def test_dry_run_validates_and_reports_without_writing(network, tmp_path):
    before = Unit.objects.count()
    out, _ = run(write_jsonl(tmp_path, NETWORK), "--dry-run")
    assert counts(out, "unit")["created"] == 4
    assert "nothing written" in out
    assert Unit.objects.count() == before
    assert not ImportedRecord.objects.exists()


def test_dates_without_offset_are_local_and_bad_dates_are_refused():
    from cong.core.records import parse_date, parse_datetime

    assert parse_datetime("2024-03-12T08:00:00").utcoffset().total_seconds() == 7 * 3600
    assert parse_datetime("2024-03-12T01:00:00Z").hour == 1
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("12/03/2024")
    with pytest.raises(ValueError, match="không phải ngày hợp lệ"):
        parse_date("2024-02-30")


def test_a_merge_in_the_file_makes_the_unit_inactive_with_its_successor(network, tmp_path):
    records = [
        {"kind": "unit", "id": "huyen-a", "name": "Huyện A", "type": "district", "hostname": "huyena.test",
         "successor": "tinh"},
    ]
    run(write_jsonl(tmp_path, records))
    unit = Unit.objects.get(code="huyen-a")
    assert not unit.active
    assert unit.successor.code == "tinh"


def test_merge_into_an_inactive_unit_is_refused(network, tmp_path):
    records = [
        {"kind": "unit", "id": "dong", "name": "Đơn vị đã đóng", "type": "other", "active": False},
        {"kind": "unit", "id": "huyen-b", "name": "Huyện B", "type": "district", "successor": "dong"},
    ]
    _, err, _ = run_failing(write_jsonl(tmp_path, records))
    assert "line 2: successor:" in err
    assert not Unit.objects.filter(code__in=["dong", "huyen-b"]).exists()


def test_standard_input_is_accepted(network, monkeypatch):
    import io
    import sys

    data = json.dumps({"kind": "unit", "id": "tu-stdin", "name": "Đơn vị từ stdin", "type": "other"})
    monkeypatch.setattr(sys, "stdin", io.StringIO(data + "\n"))
    _out, _ = run("-")
    assert Unit.objects.filter(code="tu-stdin").exists()
