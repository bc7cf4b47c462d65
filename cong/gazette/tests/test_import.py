import csv
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cong.core.models import CalendarDay
from cong.core.records import Importer
from cong.gazette.models import LegalDocument
from cong.gazette.selectors import documents_posted_count, late_postings, late_postings_count

D = dt.date


def _record(i, **over):
    rec = {
        "kind": "legal_document", "id": f"vb-{i}", "unit": "so-a", "number": f"{i}/2025/QĐ-STTTT",
        "doc_type": "Quyết định", "normative": False, "issuer": "Sở Thông tin và Truyền thông",
        "issued_on": "2025-07-01", "posted_at": "2025-07-02T09:00:00", "summary": f"Về việc số {i}",
    }
    rec.update(over)
    return json.dumps(rec, ensure_ascii=False)


def _quarter_set(n_total, n_normative):
    lines = []
    start = D(2025, 7, 1)
    for i in range(1, n_total + 1):
        issued = start + dt.timedelta(days=(i * 7) % 88)
        lines.append(_record(
            i, normative=i <= n_normative, doc_type="Nghị quyết" if i <= n_normative else "Quyết định",
            issued_on=issued.isoformat(), posted_at=f"{issued.isoformat()}T16:00:00+07:00",
        ))
    return lines


def test_seed_sized_import_gives_the_quarter_counts(network):
    # a quarter of about the seed's size (its own figures, not the seed's)
    lines = _quarter_set(211, 3)
    # a document of the previous quarter, and one of another portal, are not counted
    lines.append(_record(900, issued_on="2025-06-20", posted_at="2025-06-30T23:30:00+07:00"))
    lines.append(_record(901, unit="so-b", issuer="Sở Y tế", posted_at="2025-08-01T10:00:00+07:00"))
    result = Importer().run(lines)
    assert result.ok, result.errors
    assert result.counts["legal_document"]["created"] == 213
    counts = documents_posted_count(network.units["a"], D(2025, 7, 1), D(2025, 9, 30))
    assert counts == {"normative": 3, "other": 208}
    # posted at 00:30 local on 1 October is the next quarter, though still 30 September in UTC
    Importer().run([_record(902, issued_on="2025-09-30", posted_at="2025-10-01T00:30:00+07:00")])
    assert documents_posted_count(network.units["a"], D(2025, 7, 1), D(2025, 9, 30)) == counts
    # importing the same file again changes nothing
    again = Importer().run(lines)
    assert again.counts["legal_document"]["unchanged"] == 213
    assert LegalDocument.objects.filter(portal=network.portals["a"]).count() == 213


def test_bad_records_write_nothing_and_are_listed(network):
    lines = [
        _record(1),
        _record(2, number="1/2025/QĐ – STTTT"),  # the same number as line 1, another way
        _record(3, effective_on="2025-06-01"),  # effective before issue
        _record(4, normative="yes"),
        _record(5, colour="red"),
    ]
    result = Importer().run(lines)
    lines_with_errors = {e.line for e in result.errors}
    assert lines_with_errors == {2, 3, 4, 5}
    assert any(e.field == "number" for e in result.errors if e.line == 2)
    assert any(e.field == "effective_on" for e in result.errors if e.line == 3)
    assert not LegalDocument.objects.exists()


def test_posting_deadline_counts_working_days_and_declared_days_off(network, make_doc):
    # Friday 29 August 2025; 1-2 September are national holidays: 2 working days end on 4 September
    doc = make_doc(issued_on=D(2025, 8, 29), posted_at=dt.datetime(2025, 9, 4, 9, tzinfo=dt.UTC))
    assert doc.posting_deadline == D(2025, 9, 4) and not doc.posted_late
    CalendarDay.objects.create(date=D(2025, 9, 3), kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ bù")
    from cong.core.calendar import calendar_changed

    calendar_changed()
    late = make_doc(issued_on=D(2025, 8, 29), posted_at=dt.datetime(2025, 9, 8, 9, tzinfo=dt.UTC))
    assert late.posting_deadline == D(2025, 9, 5) and late.posted_late
    missing = make_doc(issued_on=D(2025, 9, 10), posted_at=None)
    in_time = make_doc(issued_on=D(2025, 9, 10), posted_at=dt.datetime(2025, 9, 11, 9, tzinfo=dt.UTC))
    listed = set(late_postings(network.portals["a"], today=D(2025, 10, 1)).values_list("pk", flat=True))
    assert listed == {late.pk, missing.pk}
    assert in_time.pk not in listed
    assert late_postings_count(network.units["a"], D(2025, 9, 1), D(2025, 9, 30)) == 2
    assert late_postings_count(network.units["b"], D(2025, 9, 1), D(2025, 9, 30)) == 0


def test_posting_rule_per_portal_and_type(network, make_doc):
    from cong.gazette.models import PostingRule

    PostingRule.objects.create(portal=network.portals["a"], doc_type="Kế hoạch", working_days=10)
    plan = make_doc(doc_type="Kế hoạch", issued_on=D(2025, 3, 3))
    decision = make_doc(doc_type="Quyết định", issued_on=D(2025, 3, 3))
    assert plan.posting_deadline == D(2025, 3, 17)
    assert decision.posting_deadline == D(2025, 3, 5)


def test_import_gazette_from_xlsx_with_column_mapping(network, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Danh mục văn bản quý III/2025"])
    ws.append(["STT", "Số KH", "Loại văn bản", "QPPL", "Cơ quan ban hành", "Ngày ban hành", "Ngày đăng",
               "Trích yếu", "Người ký"])
    ws.append([1, "15/2025/NQ-HĐND", "Nghị quyết", "x", "Hội đồng nhân dân tỉnh", dt.datetime(2025, 7, 10),
               "11/07/2025", "Quy định mức chi hỗ trợ", "Lê Văn C"])
    ws.append([2, "300/QĐ-UBND", "Quyết định", "", "Ủy ban nhân dân tỉnh", "15/07/2025", "16/07/2025 14:30",
               "Phê duyệt kế hoạch", ""])
    path = tmp_path / "cong-bao.xlsx"
    wb.save(path)
    call_command("import_gazette", str(path), "--unit", "so-a", "--map", "Số KH=number")
    docs = {d.number: d for d in LegalDocument.objects.filter(portal=network.portals["a"])}
    assert set(docs) == {"15/2025/NQ-HĐND", "300/QĐ-UBND"}
    assert docs["15/2025/NQ-HĐND"].normative and docs["15/2025/NQ-HĐND"].issued_on == D(2025, 7, 10)
    assert not docs["300/QĐ-UBND"].normative
    assert docs["300/QĐ-UBND"].posted_on == D(2025, 7, 16)
    # the same file again: nothing new
    call_command("import_gazette", str(path), "--unit", "so-a", "--map", "Số KH=number")
    assert LegalDocument.objects.filter(portal=network.portals["a"]).count() == 2


def test_import_gazette_csv_errors_listed_by_row_and_nothing_saved(network, tmp_path, capsys):
    path = tmp_path / "cong-bao.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Số ký hiệu", "Loại văn bản", "QPPL", "Cơ quan ban hành", "Ngày ban hành",
                    "Ngày có hiệu lực", "Ngày đăng", "Trích yếu"])
        w.writerow(["1/2025/QĐ-UBND", "Quyết định", "không", "UBND tỉnh", "01/07/2025", "", "02/07/2025", "A"])
        w.writerow(["2/2025/QĐ-UBND", "Quyết định", "không", "UBND tỉnh", "05/07/2025", "01/07/2025",
                    "06/07/2025", "B"])
        w.writerow(["1/2025/QD-UBND", "Quyết định", "không", "UBND tỉnh", "03/07/2025", "", "04/07/2025", "C"])
    with pytest.raises(CommandError):
        call_command("import_gazette", str(path), "--unit", "so-a")
    err = capsys.readouterr().err
    assert "row 3: effective_on" in err
    assert "row 4: id: trùng với dòng 2" in err  # the same issuer and number as row 2
    assert not LegalDocument.objects.exists()
