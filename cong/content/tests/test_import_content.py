"""The ``content`` kind of the records contract, and exact counts from it."""

import datetime as dt
import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect

from cong.content import selectors
from cong.content.models import ArticlePage, DocumentPage, InfographicPage, ItemPage, VideoPage
from cong.content.records import SECTION_FOR_TYPE

CATEGORIES = ["chi-dao-dieu-hanh", "pho-bien-phap-luat", "chuyen-doi-so", "chien-luoc-quy-hoach",
              "tham-van-chinh-sach", "phong-chong-dich-benh", "tin-tuc-su-kien"]
TYPES = ["article", "document", "video", "infographic", "banner"]


def run(tmp_path, records, *args):
    path = tmp_path / "content.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_records", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def record(i, **kw):
    r = {"kind": "content", "id": f"c{i}", "unit": "so-a", "type": "article",
         "title": f"Tin số {i} về chuyển đổi số", "published_at": "2024-02-01T09:00:00+07:00",
         "category": "tin-tuc-su-kien"}
    r.update(kw)
    return r


def test_generated_items_count_exactly_by_type_category_and_period(network, tmp_path):
    rng = random.Random(7)
    records, expected_type, expected_cat = [], {}, {}
    in_period = 0
    for i in range(180):
        month = rng.choice([12, 1, 2, 3, 4])
        year = 2023 if month == 12 else 2024
        day = rng.randint(1, 28)
        t, c = rng.choice(TYPES), rng.choice(CATEGORIES)
        # local midnight boundaries: 1/1 00:00 is inside, 31/3 23:59 inside, 1/4 00:00 outside
        records.append(record(i, type=t, category=c, topics=["Diễn đàn EuroCham"] if i % 9 == 0 else [],
                              published_at=f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:30:00"))
        if year == 2024 and month in (1, 2, 3):
            in_period += 1
            expected_type[t] = expected_type.get(t, 0) + 1
            expected_cat[c] = expected_cat.get(c, 0) + 1
    # boundary cases in UTC that are inside/outside the local quarter
    records.append(record(900, published_at="2023-12-31T17:00:00Z"))  # 1/1/2024 00:00 local: inside
    records.append(record(901, published_at="2024-03-31T16:59:00Z"))  # 31/3 23:59 local: inside
    records.append(record(902, published_at="2024-03-31T17:00:00Z"))  # 1/4 00:00 local: outside
    in_period += 2
    expected_type["article"] = expected_type.get("article", 0) + 2
    expected_cat["tin-tuc-su-kien"] = expected_cat.get("tin-tuc-su-kien", 0) + 2
    _, err = run(tmp_path, records)
    assert err == ""
    counts = selectors.items_counts(
        unit=network.units["a"], start=dt.date(2024, 1, 1),
        end=dt.date(2024, 3, 31),
    )
    assert counts["total"] == in_period
    assert counts["by_type"] == expected_type
    assert counts["by_category"] == expected_cat
    eurocham = sum(1 for i, r in enumerate(records[:180]) if i % 9 == 0
                   and r["published_at"].startswith("2024-0") and r["published_at"][5:7] in ("01", "02", "03"))
    assert counts["by_topic"].get("Diễn đàn EuroCham", 0) == eurocham
    # the other portal published nothing
    assert selectors.items_counts(unit=network.units["b"], start=dt.date(2024, 1, 1),
                                  end=dt.date(2024, 3, 31))["total"] == 0


def test_items_land_in_their_sections_with_sanitised_html_and_redirects(network, tmp_path, host_client):
    records = [
        record(1, body='<p>Nội dung <script>alert(1)</script><a href="javascript:x()">x</a></p>'
                       '<p onclick="evil()">đoạn hai</p>', url="https://old.stttt.test/tin/123.html",
               topics=["Hội nghị"], author="Minh Anh", source="Báo Bình An"),
        record(2, type="document", title="Quyết định về chuyển đổi số"),
        record(3, type="video", title="Video hội nghị"),
        record(4, type="infographic", title="Infographic số liệu"),
        record(5, type="banner", title="Chào mừng Đại hội"),
        record(6, category="chi-dao-dieu-hanh", title="Chỉ đạo của UBND"),
    ]
    run(tmp_path, records)
    home = network.portals["a"].site.root_page
    article = ArticlePage.objects.get(title="Tin số 1 về chuyển đổi số")
    assert article.get_parent().slug == "tin-tuc-su-kien"
    assert DocumentPage.objects.get(title="Quyết định về chuyển đổi số").get_parent().slug == SECTION_FOR_TYPE["document"]
    assert VideoPage.objects.get().get_parent().slug == "video"
    assert InfographicPage.objects.get().get_parent().slug == "infographic"
    assert ItemPage.objects.get(title="Chỉ đạo của UBND").get_parent().slug == "chi-dao-dieu-hanh"
    assert all(p.is_descendant_of(home) for p in ItemPage.objects.all())
    html = host_client("stttt.binhan.test").get(article.url).content.decode()
    assert "alert(1)" not in html and "javascript:" not in html and "onclick" not in html
    assert "đoạn hai" in html
    assert "Hội nghị" in html and "Minh Anh" in html
    redirect = Redirect.objects.get(site=network.portals["a"].site)
    assert redirect.old_path == "/tin/123.html"
    r = host_client("stttt.binhan.test").get("/tin/123.html")
    assert r.status_code == 301
    assert r["Location"].endswith(article.url)


def test_content_import_errors_are_clear_and_atomic(network, tmp_path):
    from cong.units import services

    services.unit_create(name="Tổ không cổng", unit_type="other", code="to-khong-cong")
    records = [
        record(1),
        record(2, category="khong-co"),
        record(3, type="podcast"),
        record(4, published_at="01/02/2024"),
        record(5, unit="to-khong-cong"),
        record(6, unit="khong-ton-tai"),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("line 2: category:") for line in lines)
    assert any(line.startswith("line 3: type:") for line in lines)
    assert any(line.startswith("line 4: published_at:") for line in lines)
    assert any(line.startswith("line 5: unit:") and "chưa có cổng" in line for line in lines)
    assert any(line.startswith("line 6: unit:") for line in lines)
    assert not ItemPage.objects.exists()


def test_reimport_is_idempotent_and_updates(network, tmp_path):
    run(tmp_path, [record(1), record(2)])
    out, _ = run(tmp_path, [record(1), record(2)])
    assert "content" in out and " 2" in out.splitlines()[1]
    assert ItemPage.objects.count() == 2
    run(tmp_path, [record(1, title="Tiêu đề mới"), record(2)])
    assert ItemPage.objects.filter(title="Tiêu đề mới").count() == 1
    assert ItemPage.objects.count() == 2
    # an item moved to another portal moves its page
    run(tmp_path, [record(1, title="Tiêu đề mới", unit="so-b"), record(2)])
    moved = ItemPage.objects.get(title="Tiêu đề mới")
    assert moved.is_descendant_of(network.portals["b"].site.root_page)


def test_slugs_are_readable_and_titles_keep_ampersands(network, tmp_path):
    run(tmp_path, [record(1, title="Đoàn công tác của Sở TT&TT thăm gia đình chính sách")])
    page = ItemPage.objects.get()
    assert page.slug == "doan-cong-tac-cua-so-tttt-tham-gia-dinh-chinh-sach"
    assert page.title == "Đoàn công tác của Sở TT&TT thăm gia đình chính sách"
