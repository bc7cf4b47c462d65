"""Records that reproduce the figures of the seed report (a provincial
department's report on the province portal, quarter I/2024, figures up to
13/3/2024), for the test that checks the report states each of them.

These figures are test data: the application computes them from the records
below and never knows them. The records are generated (deterministically)
rather than stored, as a file of about 9,000 lines would add nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

TZ = dt.timezone(dt.timedelta(hours=7))
PROVINCE = "tinh"  # the province of the test network (conftest.py)
QUARTER_START = dt.date(2024, 1, 1)
ITEMS_UNTIL = dt.date(2024, 3, 12)
UNTIL = dt.date(2024, 3, 13)
LAUNCH = dt.date(2017, 1, 1)

TARGET_PROVINCE, TARGET_CHILD = 16_500, 3_000
ITEMS_BY_CATEGORY = {
    "chi-dao-dieu-hanh": 421, "pho-bien-phap-luat": 231, "chuyen-doi-so": 201,
    "chien-luoc-quy-hoach": 150, "tham-van-chinh-sach": 121, "phong-chong-dich-benh": 81,
}
ITEMS_TOTAL = 2_563
FORUM_TOPIC = "Diễn đàn kết nối doanh nghiệp EuroCham - Bình An 2024"
FORUM_ITEMS = 20
SHARED_ITEMS = 1_221
GAZETTE_NORMATIVE, GAZETTE_OTHER = 2, 195
SUPPORT = {"consultation": 3, "announcement": 42, "event_promotion": 5, "phone": 45}
VISITS_QUARTER, VISITS_SINCE_LAUNCH = 34_713_393, 365_629_073
AVERAGE_VISIT_SECONDS = 350
DEPARTMENTS, DISTRICTS = 22, 11  # child portals, every one labelled


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> str:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).isoformat()


def _spread(total: int, days: list[dt.date]) -> dict[dt.date, int]:
    base, extra = divmod(total, len(days))
    return {d: base + (1 if i < extra else 0) for i, d in enumerate(days)}


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def seed_records() -> list[dict]:
    rng = random.Random(20240313)
    records: list[dict] = []
    children = [("department", f"so-{i:02d}") for i in range(DEPARTMENTS - 2)] + [
        ("district", f"huyen-{i:02d}") for i in range(DISTRICTS)]
    for unit_type, code in children:
        records.append({"kind": "unit", "id": code, "name": f"Đơn vị {code}", "type": unit_type,
                        "parent": PROVINCE, "hostname": f"{code}.binhan.test"})
    records.append({"kind": "target", "id": "t-tinh-2024", "unit": PROVINCE, "year": 2024,
                    "items": TARGET_PROVINCE})
    for code in ["so-a", "so-b"] + [c for _, c in children]:
        records.append({"kind": "target", "id": f"t-{code}-2024", "unit": code, "year": 2024,
                        "items": TARGET_CHILD})
        records.append({"kind": "trust_label", "id": f"nhan-{code}", "unit": code,
                        "certificate": f"NCSC-{code}", "issued_on": "2023-06-01", "expires_on": "2025-06-01"})

    days = _days(QUARTER_START, ITEMS_UNTIL)
    categories = list(itertools.chain.from_iterable([slug] * n for slug, n in ITEMS_BY_CATEGORY.items()))
    categories += ["tin-tuc-su-kien"] * (ITEMS_TOTAL - len(categories))
    types = ["article", "article", "article", "document", "video", "infographic", "banner"]
    forum = 0
    for i, category in enumerate(categories):
        day = days[i % len(days)]
        item = {"kind": "content", "id": f"tin-{i}", "unit": PROVINCE, "type": types[i % len(types)],
                "title": f"Thông tin số {i}", "published_at": _at(day, 7 + i % 12, i % 60),
                "category": category, "summary": f"Tóm tắt thông tin số {i}."}
        if category == "tin-tuc-su-kien" and i % 50 == 0 and forum < FORUM_ITEMS:
            item["topics"] = [FORUM_TOPIC]
            forum += 1
        records.append(item)
        if i < SHARED_ITEMS:
            for channel in ("zalo", "facebook")[: 1 + i % 2]:
                records.append({"kind": "share", "id": f"lan-toa-{i}-{channel}", "content": f"tin-{i}",
                                "channel": channel, "shared_at": _at(day, 20)})
    for i in range(GAZETTE_NORMATIVE + GAZETTE_OTHER):
        normative = i < GAZETTE_NORMATIVE
        day = days[(i * 7) % len(days)]
        records.append({"kind": "legal_document", "id": f"vb-{i}", "unit": PROVINCE,
                        "number": f"{i + 1}/{'2024/QĐ' if normative else 'KH'}-UBND",
                        "doc_type": "Quyết định" if normative else "Kế hoạch", "normative": normative,
                        "issuer": "Ủy ban nhân dân tỉnh", "issued_on": (day - dt.timedelta(days=1)).isoformat(),
                        "posted_at": _at(day, 15), "summary": f"Văn bản số {i}"})
    n = 0
    for kind, count in SUPPORT.items():
        for _ in range(count):
            rec = {"kind": "support_case", "id": f"ht-{n}", "unit": PROVINCE, "type": kind,
                   "opened_at": _at(rng.choice(days), 10), "summary": f"Hỗ trợ số {n}"}
            if kind == "event_promotion":
                rec["province"] = f"Tỉnh bạn {n}"
            records.append(rec)
            n += 1
    history = _spread(VISITS_SINCE_LAUNCH - VISITS_QUARTER, _days(LAUNCH, QUARTER_START - dt.timedelta(days=1)))
    quarter = _spread(VISITS_QUARTER, _days(QUARTER_START, UNTIL))
    for day, visits in {**history, **quarter}.items():
        records.append({"kind": "visits_daily", "id": f"lt-{day.isoformat()}", "unit": PROVINCE,
                        "date": day.isoformat(), "visits": visits, "pageviews": visits * 3,
                        "visit_seconds": visits * AVERAGE_VISIT_SECONDS})
    return records
