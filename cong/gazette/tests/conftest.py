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
