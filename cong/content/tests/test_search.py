"""Vietnamese search: diacritics, exact-first ranking, phrases, scope, filters."""

import pytest

from cong.content.search import fold, parse
from cong.content.selectors import items_search

HOST = "stttt.binhan.test"


@pytest.fixture
def corpus(network, publish_item):
    a, b = network.portals["a"], network.portals["b"]
    publish_item(a, title="Đẩy mạnh chuyển đổi số trong cơ quan nhà nước", slug="cds-1", category="chuyen-doi-so")
    publish_item(a, title="Chuyên đề đổi mới sáng tạo", slug="doi-moi", summary="Chuyen doi so viết không dấu")
    publish_item(a, title="Hội nghị về đô thị thông minh", slug="do-thi", summary="Số hóa hồ sơ đất đai")
    publish_item(a, title="Tiêm chủng mở rộng", slug="tiem-chung", category="phong-chong-dich-benh")
    publish_item(b, title="Y tế chuyển đổi số bệnh án điện tử", slug="benh-an", category="chuyen-doi-so")
    return network


def titles(results):
    return [r.title for r in results]


def test_fold():
    assert fold("Chuyển Đổi Số – Đề án 06") == "chuyen doi so – de an 06"


def test_a_query_without_diacritics_finds_text_with_them(corpus):
    roots = [corpus.portals["a"].site.root_page]
    found = titles(items_search("chuyen doi so", roots=roots))
    assert "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước" in found
    assert "Tiêm chủng mở rộng" not in found


def test_a_query_with_diacritics_ranks_exact_matches_first(corpus):
    roots = [corpus.portals["a"].site.root_page]
    found = titles(items_search("chuyển đổi số", roots=roots))
    assert found[0] == "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước"
    # the item that only says it without diacritics is found too, after it
    assert "Chuyên đề đổi mới sáng tạo" in found[1:]


def test_quoted_phrases_match_as_phrases(corpus):
    roots = [corpus.portals["a"].site.root_page]
    assert titles(items_search('"do thi thong minh"', roots=roots)) == ["Hội nghị về đô thị thông minh"]
    assert items_search('"thong minh do thi"', roots=roots) == []


def test_scope_portal_or_network_and_filters(corpus, host_client):
    portal_only = titles(items_search("chuyen doi so", roots=[corpus.portals["a"].site.root_page]))
    assert "Y tế chuyển đổi số bệnh án điện tử" not in portal_only
    network = titles(items_search("chuyen doi so"))
    assert "Y tế chuyển đổi số bệnh án điện tử" in network
    only_cds = titles(items_search("chuyen doi so", category="chuyen-doi-so"))
    assert set(only_cds) == {"Đẩy mạnh chuyển đổi số trong cơ quan nhà nước", "Y tế chuyển đổi số bệnh án điện tử"}
    assert items_search("chuyen doi so", item_type="video") == []


def test_search_page_of_a_portal_and_of_the_network(corpus, host_client, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    dept = host_client(HOST).get("/tim-kiem/", {"q": "chuyen doi so"}).content.decode()
    assert "Đẩy mạnh chuyển đổi số" in dept and "bệnh án điện tử" not in dept
    # a department cannot widen the scope to the network
    dept_net = host_client(HOST).get("/tim-kiem/", {"q": "chuyen doi so", "pham_vi": "mang-luoi"}).content.decode()
    assert "bệnh án điện tử" not in dept_net
    province = host_client("binhan.test").get("/tim-kiem/", {"q": "chuyen doi so", "pham_vi": "mang-luoi"}).content.decode()
    assert "Đẩy mạnh chuyển đổi số" in province and "bệnh án điện tử" in province
    assert "toàn bộ các cổng" in province
    empty = host_client(HOST).get("/tim-kiem/", {"q": "xyzxyz"}).content.decode()
    assert "Tìm thấy 0 kết quả" in empty


def test_parse_query():
    q = parse('"Đề án 06" chuyển đổi')
    assert q.phrases == ("Đề án 06",)
    assert q.words.split() == ["chuyển", "đổi"]
    assert q.exact_terms() == ["đề án 06", "chuyển", "đổi"]
    assert parse("   ").empty


@pytest.mark.parametrize("window", [2, 1000])
def test_newest_matches_first_whether_recent_or_old(network, publish_item, monkeypatch, window):
    """PostgreSQL walks the newest pages first and asks the full-text index
    for older matches only when the recent pages hold too few; on every
    backend the answer is the newest matches, newest first."""
    from django.db import connection

    from cong.content import selectors
    from cong.content.tests.conftest import local

    monkeypatch.setattr(selectors, "recent_window", lambda limit: window)
    portal = network.portals["a"]
    for i in range(6):
        publish_item(portal, title=f"Kế hoạch du lịch sinh thái số {i}", slug=f"dlst-{i}", when=local(2020 + i, 3, 1))
        publish_item(portal, title=f"Tin khác số {i}", slug=f"khac-{i}", when=local(2020 + i, 3, 2))
    newest_first = [f"Kế hoạch du lịch sinh thái số {i}" for i in reversed(range(6))]
    assert titles(items_search("du lich sinh thai", limit=3)) == newest_first[:3]
    assert titles(items_search("du lich sinh thai", limit=50)) == newest_first
    assert titles(items_search('"sinh thai du lich"', limit=50)) == []
    # the backend's own query agrees, item for item
    if connection.vendor == "postgresql":
        qs = selectors.public(selectors.ItemPage.objects.live()).exclude(item_type="banner")
        expression = parse("du lich sinh thai").expression()
        assert [p.pk for p in selectors._postgres_newest_matches(qs, expression, 4)] == [
            p.pk for p in qs.order_by("-first_published_at").search(expression, order_by_relevance=False)[:4]
        ]
