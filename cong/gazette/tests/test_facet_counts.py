"""The precomputed facet counts (FacetCount) of a whole register stay exact
through every kind of document change."""

import datetime as dt

import pytest

from cong.gazette import selectors, services
from cong.gazette.models import EventKind, FacetCount, LegalDocument
from cong.gazette.selectors import Filters
from cong.gazette.tests.conftest import facets_by_hand

D = dt.date


def _stored() -> set:
    return set(FacetCount.objects.values_list("portal_id", "facet", "key", "count"))


def _by_key(facets: dict) -> dict:
    return {name: sorted((str(v["value"]), v["count"]) for v in facets[name])
            for name in ("doc_type", "issuer", "field", "year", "signer", "normative", "status")}


def _agree(filters: Filters) -> dict:
    """The precomputed facets of a whole register equal the ones counted
    from the documents; returns them."""
    day = filters.status_date()
    pre = selectors._facets_precomputed(filters, day)
    docs = selectors.documents_filter(filters)
    assert _by_key(pre) == facets_by_hand(docs, day)
    assert _by_key(selectors._facets_counted(docs.order_by(), day)) == _by_key(pre)
    # and equal to a recount from scratch
    before = _stored()
    services.facet_counts_rebuild()
    assert _stored() == before
    return pre


def test_facet_counts_follow_additions_changes_deletions_and_validity(make_doc, network):
    a, b = network.portals["a"], network.portals["b"]
    q1 = make_doc(doc_type="Quyết định", field="Y tế", signer="Trần Thị Bình", issued_on=D(2023, 5, 1),
                  effective_on=D(2023, 5, 1))
    q2 = make_doc(doc_type="Quyết định", field="Y tế", signer="Lê Văn Cường", issued_on=D(2024, 5, 1),
                  effective_on=D(2024, 5, 1), normative=True)
    k1 = make_doc(doc_type="Kế hoạch", field="Giáo dục", issued_on=D(2024, 6, 1), effective_on=D(2024, 6, 1))
    make_doc(b, doc_type="Chỉ thị", field="", signer="", issued_on=D(2025, 1, 2), effective_on=D(2026, 1, 1))
    on = D(2025, 3, 1)
    facets = _agree(Filters(portal_id=a.pk, on=on))
    assert dict(_by_key(facets)["doc_type"]) == {"Quyết định": 2, "Kế hoạch": 1}
    assert dict(_by_key(facets)["normative"]) == {"1": 1, "0": 2}
    network_facets = _agree(Filters(on=on))
    assert dict(_by_key(network_facets)["doc_type"]) == {"Quyết định": 2, "Kế hoạch": 1, "Chỉ thị": 1}
    assert dict(_by_key(network_facets)["status"])["not_yet"] == 1

    # a change of type, field, signer, year and QPPL moves the document's counts
    services.document_save(portal=a, instance=q2, data={
        "doc_type": "Nghị quyết", "field": "Đất đai", "signer": "", "issued_on": D(2022, 1, 5),
        "effective_on": D(2022, 1, 5), "normative": False,
    })
    facets = _by_key(_agree(Filters(portal_id=a.pk, on=on)))
    assert dict(facets["doc_type"]) == {"Quyết định": 1, "Kế hoạch": 1, "Nghị quyết": 1}
    assert dict(facets["field"]) == {"Y tế": 1, "Giáo dục": 1, "Đất đai": 1}
    assert dict(facets["year"]) == {"2022": 1, "2023": 1, "2024": 1}
    assert dict(facets["normative"]) == {"1": 0, "0": 3}
    assert not FacetCount.objects.filter(portal=a, facet="signer", key=services.name_key("Lê Văn Cường")).exists()

    # validity: a replacement and a partial repeal change the statuses
    services.event_add(document=q1, kind=EventKind.REPLACED, on=D(2024, 6, 1), caused_by=k1)
    services.event_add(document=k1, kind=EventKind.PARTIAL_REPEAL, on=D(2025, 1, 2), caused_by=q2)
    facets = _by_key(_agree(Filters(portal_id=a.pk, on=on)))
    assert dict(facets["status"]) == {"expired": 1, "partial": 1, "in_force": 1, "not_yet": 0, "unknown": 0}
    assert dict(_by_key(_agree(Filters(portal_id=a.pk, on=D(2024, 1, 1))))["status"]) == {
        "expired": 0, "partial": 0, "in_force": 2, "not_yet": 1, "unknown": 0,
    }

    # a move to another portal and a deletion
    moved = make_doc(doc_type="Thông báo", issued_on=D(2025, 2, 2))
    services.document_save(portal=b, instance=LegalDocument.objects.get(pk=moved.pk), data={})
    assert dict(_by_key(_agree(Filters(portal_id=b.pk, on=on)))["doc_type"]) == {"Chỉ thị": 1, "Thông báo": 1}
    LegalDocument.objects.get(pk=moved.pk).delete()
    assert dict(_by_key(_agree(Filters(portal_id=b.pk, on=on)))["doc_type"]) == {"Chỉ thị": 1}
    assert not FacetCount.objects.filter(portal=b, facet="doc_type", key="Thông báo").exists()


def test_whole_register_reads_the_precomputed_counts(make_doc, network, monkeypatch):
    monkeypatch.setattr(selectors, "FACET_ONE_PASS", 1)
    for i in range(3):
        make_doc(doc_type="Thông báo" if i else "Công văn", issued_on=D(2024, 1, 1 + i), effective_on=D(2024, 1, 1 + i))
    f = Filters(portal_id=network.portals["a"].pk)
    used = []
    real = selectors._facets_precomputed
    monkeypatch.setattr(selectors, "_facets_precomputed", lambda *a: used.append(1) or real(*a))
    facets = selectors.documents_facets(f)
    assert used and selectors.documents_count(f) == 3
    assert {v["value"]: v["count"] for v in facets["doc_type"]} == {"Thông báo": 2, "Công văn": 1}
    assert {v["value"]: v["count"] for v in facets["status"]}["in_force"] == 3
    # a filtered list is still counted from the documents
    used.clear()
    narrowed = selectors.documents_facets(Filters(portal_id=network.portals["a"].pk, doc_type="Thông báo"))
    assert not used and {v["value"]: v["count"] for v in narrowed["doc_type"]} == {"Thông báo": 2}


def test_network_text_count_equals_the_matching_documents(make_doc, network):
    make_doc(summary="Kế hoạch chuyển đổi số năm 2025", field="Y tế")
    make_doc(network.portals["b"], summary="Chuyển đổi số trong y tế", field="Y tế")
    make_doc(summary="Cải cách hành chính", field="Y tế")
    for q in ("chuyen doi so", "chuyển đổi", "hanh chinh", "xyz"):
        f = Filters(q=q)
        assert selectors.documents_count(f) == len(selectors.documents_filter(f)) == \
            {"chuyen doi so": 2, "chuyển đổi": 2, "hanh chinh": 1, "xyz": 0}[q]


def test_an_edited_summary_is_found_by_its_new_words_only(make_doc, network):
    """The full-text index follows an edit and a delete (SQLite: the FTS
    triggers; PostgreSQL: the vector table's triggers, one vector a document)."""
    from django.db import connection

    doc = make_doc(summary="Về quản lý cảng cá")
    other = make_doc(summary="Về quản lý chợ đầu mối")
    assert list(selectors.documents_filter(Filters(q="cang ca")).values_list("pk", flat=True)) == [doc.pk]
    services.document_save(portal=doc.portal, data={"summary": "Về phát triển rừng phòng hộ"}, instance=doc)
    for q, expected in (("cang ca", []), ("rung phong ho", [doc.pk]), ("quan ly", [other.pk])):
        assert list(selectors.documents_filter(Filters(q=q)).values_list("pk", flat=True)) == expected, q
    other.delete()
    assert selectors.documents_count(Filters(q="quan ly")) == 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT doc_id FROM gazette_legaldocument_vector")
            assert [row[0] for row in cursor.fetchall()] == [doc.pk]


@pytest.mark.parametrize("lookup", [2000, 0], ids=["read-by-id", "walk"])
def test_pages_and_cursors_list_a_selection_newest_first_either_way(make_doc, network, monkeypatch, lookup):
    """A filtered list gives every document once, newest issue first (ties
    by id), by page number and by cursor, whether the selection is small
    enough to be read by id and sorted (PostgreSQL) or read in order."""
    monkeypatch.setattr(selectors, "LOOKUP_LIMIT", lookup)
    days = [D(2021, 5, 1), D(2024, 1, 2), D(2019, 7, 7), D(2024, 1, 2), D(2022, 3, 3), D(2018, 1, 1), D(2024, 1, 2)]
    made = [make_doc(issued_on=day, doc_type="Chỉ thị") for day in days]
    make_doc(issued_on=D(2025, 1, 1), doc_type="Quyết định")
    expected = [d.pk for d in sorted(made, key=lambda d: (d.issued_on, d.pk), reverse=True)]
    f = Filters(doc_type="Chỉ thị")
    by_page = [d.pk for n in (1, 2, 3) for d in selectors.documents_page(f, page=n, size=3)[0]]
    assert by_page == expected
    by_cursor, cursor = [], ""
    while True:
        rows, cursor = selectors.documents_page(f, size=3, after=cursor)
        by_cursor += [d.pk for d in rows]
        if not cursor:
            break
    assert by_cursor == expected
