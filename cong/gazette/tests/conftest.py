import datetime as dt
import itertools

import pytest

from cong.gazette import services

_counter = itertools.count(1)


@pytest.fixture
def make_doc(network):
    """Create a document of a portal through the service."""

    def make(portal=None, **fields):
        n = next(_counter)
        data = {
            "number": f"{n}/2025/QĐ-UBND", "doc_type": "Quyết định", "normative": False,
            "issuer_name": "Ủy ban nhân dân tỉnh Bình An", "issued_on": dt.date(2025, 3, 3),
            "summary": f"Về việc ban hành quy chế số {n}", "signer": "Nguyễn Văn An",
            "signer_title": "Chủ tịch", "field": "Hành chính",
        }
        files = fields.pop("files", ())
        data.update(fields)
        return services.document_save(portal=portal or network.portals["a"], data=data, files=files)

    return make


def facets_by_hand(docs, day) -> dict:
    """The facets of ``docs`` counted document by document, each status
    derived from the document's own dated events: the oracle the
    database's counts are checked against. Same shape as
    ``test_facet_counts._by_key``: facet -> sorted (value, count)."""
    from collections import Counter

    from cong.gazette.selectors import document_status_on

    counts = {name: Counter() for name in ("doc_type", "issuer", "field", "year", "signer", "normative", "status")}
    for doc in docs:
        counts["doc_type"][doc.doc_type] += 1
        counts["year"][str(doc.issued_year)] += 1
        counts["normative"]["1" if doc.normative else "0"] += 1
        counts["status"][document_status_on(doc, day)] += 1
        for name, value in (("issuer", doc.issuer_name), ("field", doc.field), ("signer", doc.signer)):
            if value:
                counts[name][value] += 1
    for value in ("1", "0"):
        counts["normative"].setdefault(value, 0)
    for value in ("in_force", "partial", "expired", "not_yet", "unknown"):
        counts["status"].setdefault(value, 0)
    return {name: sorted(c.items()) for name, c in counts.items()}
