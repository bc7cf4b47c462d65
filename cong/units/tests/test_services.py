import datetime as dt

import pytest
from wagtail.models import GroupPagePermission, Site

from cong.core.errors import ApplicationError
from cong.units import services
from cong.units.choices import BoardRole
from cong.units.models import BoardMembership, Portal, PortalSettings, Unit


def test_portal_create_builds_site_tree_groups_and_settings(network):
    province = network.units["province"]
    unit = services.unit_create(
        name="Sở Tư pháp", unit_type="department", code="stp", parent=province,
        hostname="STP.BinhAn.test",
    )
    portal = Portal.objects.get(unit=unit)
    assert portal.site.hostname == "stp.binhan.test"
    assert not portal.site.is_default_site
    home = portal.site.root_page.specific
    slugs = set(home.get_children().values_list("slug", flat=True))
    assert {
        "gioi-thieu", "tin-tuc-su-kien", "chi-dao-dieu-hanh", "van-ban",
        "chien-luoc-quy-hoach-ke-hoach", "thu-tuc-hanh-chinh", "tiep-can-thong-tin",
        "hoi-dap", "lay-y-kien-du-thao", "thong-bao", "lien-he", "so-do-cong",
    } <= slugs
    intro = home.get_children().get(slug="gioi-thieu")
    assert {"co-cau-to-chuc", "lanh-dao", "can-bo-dau-moi"} <= set(
        intro.get_children().values_list("slug", flat=True)
    )
    assert set(portal.groups.values_list("role", flat=True)) == set(BoardRole.values)
    chief = portal.groups.get(role=BoardRole.CHIEF).group
    assert GroupPagePermission.objects.filter(
        group=chief, page=home, permission__codename="publish_page"
    ).exists()
    contributor = portal.groups.get(role=BoardRole.CONTRIBUTOR).group
    assert not GroupPagePermission.objects.filter(
        group=contributor, permission__codename="publish_page"
    ).exists()
    settings = PortalSettings.for_site(portal.site)
    assert settings.portal_name == "Trang Thông tin điện tử Sở Tư pháp"
    assert settings.governing_body == province.name


def test_province_portal_is_the_default_site(network):
    assert network.portals["province"].site.is_default_site
    assert Site.objects.filter(is_default_site=True).count() == 1


def test_duplicate_hostname_is_refused_and_nothing_is_created(network):
    units_before = Unit.objects.count()
    with pytest.raises(ApplicationError) as err:
        services.unit_create(
            name="Sở Xây dựng", unit_type="department", code="sxd",
            parent=network.units["province"], hostname="stttt.binhan.test",
        )
    assert err.value.field == "hostname"
    assert "stttt.binhan.test" in err.value.message
    assert "Sở Thông tin và Truyền thông" in err.value.message
    assert Unit.objects.count() == units_before


@pytest.mark.parametrize("host", ["bad host", "-x.vn", "a..b", ""])
def test_malformed_hostname_is_refused(network, host):
    unit = services.unit_create(name="Ban Dân tộc", unit_type="department", code="bdt")
    with pytest.raises(ApplicationError):
        services.portal_create(unit=unit, hostname=host)
    assert not Portal.objects.filter(unit=unit).exists()


def test_parent_cycle_is_refused(network):
    province = network.units["province"]
    child = network.units["a"]
    with pytest.raises(ApplicationError) as err:
        services.unit_update(unit=province, parent=child)
    assert "vòng lặp" in err.value.message
    province.refresh_from_db()
    assert province.parent_id is None
    with pytest.raises(ApplicationError):
        services.unit_update(unit=child, parent=child)


def test_merge_rules(network):
    a, b, province = network.units["a"], network.units["b"], network.units["province"]
    with pytest.raises(ApplicationError, match="chính nó"):
        services.unit_merge(unit=a, into=a)
    services.unit_deactivate(unit=b)
    with pytest.raises(ApplicationError, match="ngừng hoạt động"):
        services.unit_merge(unit=a, into=b)
    a.refresh_from_db()
    assert a.active
    assert a.successor_id is None
    services.unit_merge(unit=a, into=province, merged_on=dt.date(2025, 7, 1))
    a.refresh_from_db()
    assert a.successor == province
    assert not a.active
    assert a.merged_on == dt.date(2025, 7, 1)
    # a merge that would loop back is refused
    with pytest.raises(ApplicationError):
        services.unit_merge(unit=province, into=a)


def test_a_unit_that_holds_content_cannot_be_deleted(network):
    a = network.units["a"]
    with pytest.raises(ApplicationError) as err:
        services.unit_delete(unit=a)
    assert "ngừng hoạt động hoặc sáp nhập" in err.value.message
    assert Unit.objects.filter(pk=a.pk).exists()
    empty = services.unit_create(name="Tổ công tác", unit_type="other", code="tct")
    services.unit_delete(unit=empty)
    assert not Unit.objects.filter(code="tct").exists()


def test_dismissal_removes_group_and_deactivates_account(network):
    user = network.user("a", BoardRole.EDITOR)
    membership = BoardMembership.objects.get(user=user, ended_on__isnull=True)
    services.board_member_dismiss(membership=membership, ended_on=dt.date(2024, 6, 30))
    user.refresh_from_db()
    assert not user.is_active
    assert not user.groups.filter(portal_role__portal=network.portals["a"]).exists()


def test_appointment_needs_a_decision_number(network):
    user = network.user("b", BoardRole.EDITOR)
    with pytest.raises(ApplicationError):
        services.board_member_appoint(
            portal=network.portals["a"], user=user, role=BoardRole.EDITOR,
            decision_number="  ", decision_date=dt.date(2024, 1, 1),
        )


def test_create_portal_command(network):
    from io import StringIO

    from django.core.management import CommandError, call_command

    services.unit_create(name="Sở Nội vụ", unit_type="department", code="snv")
    out = StringIO()
    call_command("create_portal", "--unit", "snv", "--hostname", "snv.binhan.test", stdout=out)
    assert Portal.objects.get(unit__code="snv").site.hostname == "snv.binhan.test"
    with pytest.raises(CommandError, match="đã có cổng"):
        call_command("create_portal", "--unit", "snv", "--hostname", "snv2.binhan.test")
    services.unit_create(name="Sở Ngoại vụ", unit_type="department", code="sngv")
    with pytest.raises(CommandError, match="đã được dùng"):
        call_command("create_portal", "--unit", "sngv", "--hostname", "snv.binhan.test")
