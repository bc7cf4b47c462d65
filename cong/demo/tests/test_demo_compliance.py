"""A freshly loaded demo portal passes every content rule of the compliance
checker (the reduced demo: the province and two departments); loading it
again duplicates nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cong.compliance import rules, services
from cong.compliance.models import Status
from cong.units.models import Portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings):
    settings.CONG_COMPLIANCE_EXTRA_RULES = ()
    out = io.StringIO()
    call_command("load_demo", "--minimal", "--host-suffix", "demo.test", "--port", "8600", stdout=out)
    return list(Portal.objects.filter(site__hostname__endswith="demo.test").select_related("unit", "site"))


def test_fresh_demo_portals_pass_the_content_rules_and_reload_adds_nothing(demo):
    assert {p.unit.code for p in demo} == {"binhphuoc", "stttt", "syt"}
    content_ids = {r.id for r in rules.rules_for(services.timezone.localdate(), scope=rules.CONTENT)}
    for portal in demo:
        run = services.portal_check(portal, scope=rules.CONTENT)
        rows = {r.rule_id: r for r in run.results.all()}
        assert set(rows) == content_ids
        not_passed = {rid: (r.status, r.message) for rid, r in rows.items() if r.status != Status.PASS}
        assert not_passed == {}, portal.unit.code
        assert run.complete and run.failed == 0 and run.score == 100.0

    # Loading the demo again adds nothing twice.
    from cong.content.models import DocumentPage, StandardPage
    from cong.gazette.models import LegalDocument

    counts = (StandardPage.objects.count(), DocumentPage.objects.count(), LegalDocument.objects.count())
    call_command("load_demo", "--minimal", "--host-suffix", "demo.test", "--port", "8600", stdout=io.StringIO())
    assert (StandardPage.objects.count(), DocumentPage.objects.count(), LegalDocument.objects.count()) == counts
