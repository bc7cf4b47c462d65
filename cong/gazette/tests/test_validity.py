import datetime as dt

import pytest

from cong.core.errors import ApplicationError
from cong.gazette import services
from cong.gazette.models import EventKind, LegalDocument, Relation, RelationKind, ValidityStatus
from cong.gazette.selectors import Filters, document_relations, document_status_on, documents_filter

D = dt.date


def test_number_key_normalises_dashes_d_and_spaces():
    assert services.number_key("12/2024/QĐ – UBND") == services.number_key("12/2024/qd-ubnd")
    assert services.number_key("12/2024/QĐ—UBND") == "12/2024/QD-UBND"
    assert services.number_key("12/2024/QĐ-UBND") != services.number_key("13/2024/QĐ-UBND")


def test_duplicate_number_of_one_issuer_is_refused(make_doc, network):
    make_doc(number="5/2025/QĐ-UBND")
    with pytest.raises(ApplicationError) as exc:
        make_doc(number="5/2025/QD – UBND", issuer_name="ủy ban nhân dân tỉnh  Bình An")
    assert exc.value.field == "number"
    assert LegalDocument.objects.filter(number_key="5/2025/QD-UBND").count() == 1
    # the same number from another issuer is a different document
    make_doc(number="5/2025/QĐ-UBND", issuer_name="Sở Y tế")


def test_effective_before_issue_is_refused(make_doc):
    with pytest.raises(ApplicationError) as exc:
        make_doc(issued_on=D(2025, 3, 3), effective_on=D(2025, 3, 1))
    assert exc.value.field == "effective_on"
    assert not LegalDocument.objects.filter(effective_on=D(2025, 3, 1)).exists()


def test_status_follows_events_with_partial_repeal_and_replacement_chain(make_doc):
    old = make_doc(issued_on=D(2020, 1, 1), effective_on=D(2020, 2, 1))
    amending = make_doc(issued_on=D(2021, 5, 1), effective_on=D(2021, 6, 1))
    newer = make_doc(issued_on=D(2022, 1, 1), effective_on=D(2022, 2, 1))
    newest = make_doc(issued_on=D(2023, 1, 1), effective_on=D(2023, 3, 1))
    services.event_add(document=old, kind=EventKind.AMENDED, on=D(2021, 6, 1), caused_by=amending)
    services.event_add(document=old, kind=EventKind.PARTIAL_REPEAL, on=D(2021, 6, 1), caused_by=amending,
                       note="Điều 5")
    services.event_add(document=old, kind=EventKind.REPLACED, on=D(2022, 2, 1), caused_by=newer)
    services.event_add(document=newer, kind=EventKind.REPLACED, on=D(2023, 3, 1), caused_by=newest)

    assert document_status_on(old, D(2020, 1, 15)) == ValidityStatus.NOT_YET
    assert document_status_on(old, D(2020, 2, 1)) == ValidityStatus.IN_FORCE
    assert document_status_on(old, D(2021, 6, 1)) == ValidityStatus.PARTIAL
    assert document_status_on(old, D(2022, 2, 1)) == ValidityStatus.EXPIRED
    assert document_status_on(newer, D(2023, 2, 28)) == ValidityStatus.IN_FORCE
    assert document_status_on(newer, D(2023, 3, 1)) == ValidityStatus.EXPIRED
    assert document_status_on(newest, D(2023, 3, 1)) == ValidityStatus.IN_FORCE

    # the indexed filter agrees with the event history on every date
    ids = [old.pk, amending.pk, newer.pk, newest.pk]
    for day in (D(2020, 1, 15), D(2020, 3, 1), D(2021, 7, 1), D(2022, 2, 1), D(2023, 3, 1)):
        for status in ValidityStatus.values:
            found = set(documents_filter(Filters(status=status, on=day)).filter(pk__in=ids).values_list("pk", flat=True))
            expected = {d.pk for d in LegalDocument.objects.filter(pk__in=ids) if document_status_on(d, day) == status}
            assert found == expected, (day, status)

    # relations are shown both ways
    assert Relation.objects.filter(source=newer, target=old, kind=RelationKind.REPLACES).exists()
    labels_old = {(r["label"], r["document"].pk) for r in document_relations(old)}
    assert ("Bị thay thế bởi", newer.pk) in labels_old
    assert ("Được sửa đổi, bổ sung bởi", amending.pk) in labels_old
    assert ("Thay thế", old.pk) in {(str(r["label"]), r["document"].pk) for r in document_relations(newer)}


def test_expiry_date_ends_validity(make_doc):
    doc = make_doc(issued_on=D(2024, 1, 1), effective_on=D(2024, 1, 1), expires_on=D(2024, 12, 31))
    assert document_status_on(doc, D(2024, 12, 30)) == ValidityStatus.IN_FORCE
    assert document_status_on(doc, D(2024, 12, 31)) == ValidityStatus.EXPIRED


def test_relation_to_itself_and_replacement_cycle_are_refused(make_doc):
    a, b, c = make_doc(), make_doc(), make_doc()
    with pytest.raises(ApplicationError):
        services.relation_add(source=a, target=a, kind=RelationKind.BASED_ON)
    with pytest.raises(ApplicationError):
        services.event_add(document=a, kind=EventKind.REPLACED, on=D(2025, 4, 1), caused_by=a)
    services.relation_add(source=b, target=a, kind=RelationKind.REPLACES)
    services.relation_add(source=c, target=b, kind=RelationKind.REPLACES)
    with pytest.raises(ApplicationError) as exc:
        services.event_add(document=c, kind=EventKind.REPLACED, on=D(2025, 4, 1), caused_by=a)
    assert "Vòng thay thế" in exc.value.message
    assert not Relation.objects.filter(source=a, target=c).exists()
    assert c.events.filter(kind=EventKind.REPLACED).count() == 0
