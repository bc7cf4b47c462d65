"""The register's full text and its plans: on PostgreSQL, the vector table
of migration 0006 follows even a truncate of the documents; a text query
with other filters selects the same documents whichever way it is planned;
a year is the calendar year of the issue date."""

import datetime as dt

import pytest
from django.db import connection

from cong.gazette import selectors
from cong.gazette.models import LegalDocument
from cong.gazette.selectors import Filters
from cong.gazette.tests.conftest import facets_by_hand

D = dt.date


def _found(q: str, **filters) -> list[int]:
    return sorted(selectors.documents_filter(Filters(q=q, **filters)).values_list("pk", flat=True))


def _vectors() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT doc_id FROM gazette_legaldocument_vector")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vector table is PostgreSQL's")
def test_a_truncate_of_the_documents_empties_the_vector_table(make_doc, network):
    make_doc(summary="Về quản lý cảng cá")
    assert len(_vectors()) == 1
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's deferred key checks, before a truncate
        cursor.execute("TRUNCATE gazette_legaldocument CASCADE")
    assert _vectors() == set()
    # a new document is found by its own words only
    doc = make_doc(summary="Về phát triển rừng phòng hộ")
    assert _found("cang ca") == [] and _found("rung phong ho") == [doc.pk]


@pytest.mark.parametrize("limit", [10000, 0], ids=["few-others", "many-others"])
def test_a_text_query_with_other_filters_selects_the_same_either_way(make_doc, network, monkeypatch, limit):
    """Count, pages and facets of a broad text query with other filters
    agree with the documents by hand, whether the documents the other
    filters select are few (PostgreSQL: each tested by key; SQLite: the
    selection's ids read once) or many (the words' matches joined)."""
    monkeypatch.setattr(selectors, "PROBE_LIMIT", limit)
    monkeypatch.setattr(selectors, "INTERSECT_LIMIT", limit)
    monkeypatch.setattr(selectors, "FTS_DENSE", 0)  # SQLite: every query is broad
    monkeypatch.setattr(selectors, "FACET_ONE_PASS", 2)
    a, b = network.portals["a"], network.portals["b"]
    wanted = [make_doc(summary=f"Kế hoạch chuyển đổi số đợt {i}", issued_on=D(2024, 1 + i, 1),
                       doc_type="Kế hoạch" if i % 2 else "Quyết định") for i in range(5)]
    make_doc(summary="Kế hoạch chuyển đổi số của Sở Y tế", issued_on=D(2024, 6, 1))
    make_doc(b, summary="Chuyển đổi số trong y tế", issued_on=D(2024, 3, 3))
    make_doc(summary="Cải cách hành chính", issued_on=D(2024, 2, 2))
    make_doc(summary="Chuyển đổi số năm trước", issued_on=D(2023, 5, 5))
    f = Filters(q="chuyển đổi số", portal_id=a.pk, year=2024, on=D(2025, 1, 1))
    expected = sorted([d.pk for d in wanted] + list(
        LegalDocument.objects.filter(summary="Kế hoạch chuyển đổi số của Sở Y tế").values_list("pk", flat=True)))
    assert selectors.documents_count(f) == len(expected) == 6
    rows, cursor = selectors.documents_page(f, size=4)
    rest, _ = selectors.documents_page(f, size=4, after=cursor)
    listed = [d.pk for d in rows + rest]
    assert sorted(listed) == expected
    assert listed == [d.pk for d in sorted(LegalDocument.objects.filter(pk__in=expected),
                                           key=lambda d: (d.issued_on, d.pk), reverse=True)]
    # sampled facets: the newest FACET_SAMPLE matches
    monkeypatch.setattr(selectors, "FACET_SAMPLE", 3)
    facets = selectors.documents_facets(f)
    assert facets["sampled"] == 3
    newest = LegalDocument.objects.filter(pk__in=listed[:3])
    got = {name: sorted((str(v["value"]), v["count"]) for v in facets[name])
           for name in ("doc_type", "issuer", "field", "year", "signer", "normative", "status")}
    assert got == facets_by_hand(newest, f.status_date())


def test_a_year_is_the_calendar_year_of_the_issue_date(make_doc, network, client):
    inside = [make_doc(issued_on=D(2023, 1, 1)), make_doc(issued_on=D(2023, 12, 31))]
    make_doc(issued_on=D(2022, 12, 31))
    make_doc(issued_on=D(2024, 1, 1))
    f = Filters(year=2023, portal_id=network.portals["a"].pk)
    assert selectors.documents_count(f) == 2
    assert sorted(d.pk for d in selectors.documents_page(f)[0]) == sorted(d.pk for d in inside)
    # a year no date can have selects nothing, in the register and the API
    for year in (0, 10000, 32768):
        assert selectors.documents_count(Filters(year=year)) == 0
    data = client.get("/api/cong-bao/van-ban", {"nam": 99999}, HTTP_HOST="binhan.test").json()
    assert data["count"] == 0 and data["items"] == []
