import datetime as dt

from cong.gazette import selectors, services
from cong.gazette.models import EventKind, LegalDocument
from cong.gazette.selectors import Filters
from cong.gazette.tests.conftest import facets_by_hand

D = dt.date


def _by_key(facets: dict) -> dict:
    return {name: sorted((str(v["value"]), v["count"]) for v in facets[name])
            for name in ("doc_type", "issuer", "field", "year", "signer", "normative", "status")}


def test_facets_counted_by_the_database_equal_a_count_by_hand_and_follow_writes(make_doc, network):
    docs = [
        make_doc(doc_type="Quyết định", field="Y tế", signer="A", issued_on=D(2023, 5, 1), effective_on=D(2023, 5, 1)),
        make_doc(doc_type="Quyết định", field="Y tế", signer="B", issued_on=D(2024, 5, 1), normative=True),
        make_doc(doc_type="Kế hoạch", field="Giáo dục", signer="A", issued_on=D(2024, 6, 1), effective_on=D(2024, 6, 1)),
        make_doc(doc_type="Chỉ thị", signer="", issued_on=D(2025, 1, 2), effective_on=D(2026, 1, 1)),
    ]
    services.event_add(document=docs[0], kind=EventKind.REPLACED, on=D(2024, 6, 1), caused_by=docs[2])
    services.event_add(document=docs[2], kind=EventKind.PARTIAL_REPEAL, on=D(2025, 1, 2), caused_by=docs[3])
    f = Filters(portal_id=network.portals["a"].pk, on=D(2025, 3, 1))
    day = f.status_date()
    counted = selectors._facets_counted(selectors.documents_filter(f).order_by(), day)
    assert _by_key(counted) == facets_by_hand(LegalDocument.objects.filter(portal=network.portals["a"]), day)
    assert {v["value"]: v["count"] for v in counted["status"]} == {
        "expired": 1, "partial": 1, "not_yet": 1, "unknown": 1, "in_force": 0,
    }
    # a filtered selection, and a sliced one (the newest two)
    narrowed = Filters(portal_id=network.portals["a"].pk, doc_type="Quyết định", on=day)
    assert _by_key(selectors.documents_facets(narrowed)) == facets_by_hand(docs[:2], day)
    newest = selectors.documents_filter(f).order_by("-issued_on", "-id")[:2]
    assert _by_key(selectors._facets_counted(newest, day)) == facets_by_hand(docs[2:], day)
    # cached, and a write shows at once (cache version)
    before = selectors.documents_facets(f)
    assert {v["value"]: v["count"] for v in before["doc_type"]}["Quyết định"] == 2
    make_doc(doc_type="Quyết định")
    after = selectors.documents_facets(f)
    assert {v["value"]: v["count"] for v in after["doc_type"]}["Quyết định"] == 3


def test_broad_text_query_facets_are_sampled_and_said_so(make_doc, network, monkeypatch, client):
    monkeypatch.setattr(selectors, "FACET_ONE_PASS", 2)
    monkeypatch.setattr(selectors, "FACET_SAMPLE", 2)
    for i in range(4):
        make_doc(summary=f"Kế hoạch chuyển đổi số đợt {i}", issued_on=D(2025, 1, 1 + i))
    f = Filters(q="chuyen doi so", portal_id=network.portals["a"].pk)
    facets = selectors.documents_facets(f)
    assert facets["sampled"] == 2
    assert sum(v["count"] for v in facets["year"]) == 2
    assert selectors.documents_count(f) == 4
    body = client.get("/cong-bao/", {"q": "chuyen doi so"}, HTTP_HOST="stttt.binhan.test").content.decode()
    assert "Số đếm tính trên 2 văn bản phù hợp mới nhất" in body


def test_a_change_warms_the_landing_facets_in_the_background(make_doc, network, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_doc(doc_type="Thông báo")
        make_doc(doc_type="Thông báo")
    # the landing facets are in the shared cache: no process needs to compute them

    def refuse(filters):
        raise AssertionError("computed again")

    selectors.clear_local_caches()
    monkeypatch.setattr(selectors, "_facets_compute", refuse)
    facets = selectors.documents_facets(Filters(portal_id=network.portals["a"].pk))
    assert {v["value"]: v["count"] for v in facets["doc_type"]}["Thông báo"] == 2
    selectors.documents_facets(Filters())
