"""The support log: imported ``support_case`` records, cases the desk logs
itself, and cases made by the other flows; counted exactly by type and period."""

from __future__ import annotations

import datetime as dt
import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cong.engagement import selectors, services
from cong.engagement.choices import SupportType
from cong.engagement.models import SupportCase
from cong.engagement.tests.conftest import local

TYPES = list(SupportType.values)


def run(tmp_path, records, *args):
    path = tmp_path / "support.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    out = StringIO()
    call_command("import_records", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def record(i, **kw):
    r = {"kind": "support_case", "id": f"s{i}", "unit": "so-a", "type": "phone",
         "opened_at": "2024-02-01T09:00:00+07:00"}
    r.update(kw)
    return r


def test_imported_and_logged_cases_count_exactly_by_type_and_period(network, tmp_path):
    rng = random.Random(11)
    records, expected = [], dict.fromkeys(TYPES, 0)
    for i in range(150):
        month = rng.choice([12, 1, 2, 3, 4])
        year = 2023 if month == 12 else 2024
        t = rng.choice(TYPES)
        unit = rng.choice(["so-a", "so-b"])
        r = record(i, type=t, unit=unit,
                   opened_at=f"{year}-{month:02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:15:00")
        if t == "event_promotion":
            r["province"] = "Tỉnh Lạng Sơn"
        records.append(r)
        if unit == "so-a" and year == 2024 and month in (1, 2, 3):
            expected[t] += 1
    # local-time boundaries of the quarter
    records += [
        record("in-first", opened_at="2024-01-01T00:00:00+07:00", type="other"),
        record("in-last", opened_at="2024-03-31T23:59:00", type="other"),
        record("out-utc", opened_at="2024-03-31T17:00:00Z", type="other"),  # 1/4 00:00 local
        record("out-before", opened_at="2023-12-31T23:59:59+07:00", type="other"),
    ]
    expected["other"] += 2
    # cases the desk logs itself
    unit = network.units["a"]
    services.support_case_log(unit=unit, case_type="phone", opened_at=local(2024, 2, 10),
                              topic="Thủ tục cấp phép", call_minutes=7, requester="Công ty ABC")
    services.support_case_log(unit=unit, case_type="event_promotion", opened_at=local(2024, 3, 2),
                              province="Tỉnh Huế", event_name="Festival Huế")
    services.support_case_log(unit=network.units["b"], case_type="phone",
                              opened_at=local(2024, 2, 10))
    expected["phone"] += 1
    expected["event_promotion"] += 1
    run(tmp_path, records)
    got = selectors.support_cases_count(unit, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert got == {**expected, "total": sum(expected.values())}
    # a single day, inclusive
    day = selectors.support_cases_count(unit, dt.date(2024, 3, 31), dt.date(2024, 3, 31))
    assert day["other"] >= 1
    # importing the same file again changes nothing
    out = run(tmp_path, records)
    assert "unchanged" in out
    again = selectors.support_cases_count(unit, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert again == got


def test_changed_record_updates_and_bad_lines_are_refused(network, tmp_path):
    run(tmp_path, [record(1)])
    run(tmp_path, [record(1, type="consultation", requester="Sở Tư pháp")])
    case = SupportCase.objects.get()
    assert (case.case_type, case.requester) == ("consultation", "Sở Tư pháp")
    with pytest.raises(CommandError):
        run(tmp_path, [record(2, type="festival"), record(3, opened_at="hôm qua"),
                       record(4, unit="khong-co"), record(5, extra=1),
                       record(6, closed_at="2024-01-01T00:00:00+07:00")])
    assert SupportCase.objects.count() == 1


def test_import_text_fields_come_out_as_text(network, tmp_path):
    run(tmp_path, [record(1, summary="<script>alert(1)</script>Tư vấn <b>thủ tục</b>")])
    assert SupportCase.objects.get().summary == "Tư vấn thủ tục"


def test_desk_logs_a_case_through_the_admin_and_sees_only_its_own(client, network):
    client.force_login(network.user("a", "thu_ky"))
    r = client.post("/admin/tuong-tac/so-ho-tro/them/", {
        "unit": network.units["a"].pk, "case_type": "phone", "requester": "Hợp tác xã Bình Minh",
        "topic": "Đăng ký nhãn hiệu", "call_minutes": "12", "outcome": "Đã hướng dẫn",
    })
    assert r.status_code == 302
    case = SupportCase.objects.get()
    assert case.call_minutes == 12 and case.logged_by == network.user("a", "thu_ky")
    services.support_case_log(unit=network.units["b"], case_type="other", requester="Bệnh viện X")
    listing = client.get("/admin/tuong-tac/so-ho-tro/").content.decode()
    assert "Hợp tác xã Bình Minh" in listing and "Bệnh viện X" not in listing
    # a unit of another portal cannot be chosen
    r = client.post("/admin/tuong-tac/so-ho-tro/them/", {
        "unit": network.units["b"].pk, "case_type": "phone",
    })
    assert r.status_code == 200 and SupportCase.objects.count() == 2


def test_event_promotion_needs_the_province(network):
    from cong.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.support_case_log(unit=network.units["a"], case_type="event_promotion")


def test_event_promotion_keeps_the_items_published_for_it(network, publish_item):
    items = [publish_item(network.portals["a"], title=f"Lễ hội Hoa Ban {n}") for n in (1, 2)]
    case = services.support_case_log(
        unit=network.units["a"], case_type="event_promotion", province="Tỉnh Điện Biên",
        event_name="Lễ hội Hoa Ban 2024", published_items=items, requester="Sở VHTTDL Điện Biên",
    )
    assert sorted(p.pk for p in case.published_items.all()) == sorted(p.pk for p in items)
    today = dt.date.today()
    counts = selectors.support_cases_count(network.units["a"], today - dt.timedelta(days=1),
                                           today + dt.timedelta(days=1))
    assert counts["event_promotion"] == 1 and counts["total"] == 1


def test_desk_links_the_items_published_for_an_event(client, network, publish_item):
    mine = publish_item(network.portals["a"], title="Tuần Văn hóa Điện Biên tại Bình An")
    theirs = publish_item(network.portals["b"], title="Tin của Sở Y tế")
    client.force_login(network.user("a", "bien_tap_vien"))
    form = client.get("/admin/tuong-tac/so-ho-tro/them/").content.decode()
    assert mine.title in form and theirs.title not in form
    r = client.post("/admin/tuong-tac/so-ho-tro/them/", {
        "unit": network.units["a"].pk, "case_type": "event_promotion", "province": "Tỉnh Điện Biên",
        "event_name": "Lễ hội Hoa Ban", "published_items": [mine.pk],
    })
    assert r.status_code == 302
    case = SupportCase.objects.get()
    assert list(case.published_items.values_list("pk", flat=True)) == [mine.pk]
    r = client.post("/admin/tuong-tac/so-ho-tro/them/", {
        "unit": network.units["a"].pk, "case_type": "event_promotion", "province": "Tỉnh Điện Biên",
        "event_name": "Lễ hội Hoa Ban", "published_items": [theirs.pk],
    })
    assert r.status_code == 200 and SupportCase.objects.count() == 1
