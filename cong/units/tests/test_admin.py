"""Units in the admin: create, edit, deactivate, merge, refuse to delete."""

from django.urls import reverse

from cong.units.choices import BoardRole
from cong.units.models import Portal, Unit


def test_province_leaders_create_a_unit_with_its_portal(client, network):
    client.force_login(network.user("province", BoardRole.CHIEF))
    response = client.post(reverse("units_unit:add"), {
        "code": "skhcn", "name": "Sở Khoa học và Công nghệ", "short_name": "Sở KH&CN",
        "unit_type": "department", "parent": network.units["province"].pk, "hostname": "skhcn.binhan.test",
        "official_code": "", "address": "", "phone": "", "fax": "", "email": "",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    assert Portal.objects.get(unit__code="skhcn").site.hostname == "skhcn.binhan.test"


def test_a_taken_host_name_is_shown_on_the_form(client, network):
    client.force_login(network.user("province", BoardRole.CHIEF))
    response = client.post(reverse("units_unit:add"), {
        "code": "trung", "name": "Đơn vị trùng", "unit_type": "department", "hostname": "syt.binhan.test",
        "short_name": "", "official_code": "", "address": "", "phone": "", "fax": "", "email": "", "parent": "",
    })
    assert response.status_code == 200
    assert "đã được dùng cho Sở Y tế" in response.content.decode()
    assert not Unit.objects.filter(code="trung").exists()


def test_a_unit_with_content_cannot_be_deleted_and_the_admin_says_why(client, network):
    client.force_login(network.user("province", BoardRole.CHIEF))
    unit = network.units["a"]
    response = client.get(reverse("units_unit:delete", args=[unit.pk]), follow=True)
    assert "không thể xóa" in response.content.decode()
    client.post(reverse("units_unit:delete", args=[unit.pk]))
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_merge_and_deactivate_through_the_admin(client, network):
    client.force_login(network.user("province", BoardRole.CHIEF))
    a, b = network.units["a"], network.units["b"]
    refused = client.post(reverse("units_unit:merge", args=[a.pk]), {"successor": a.pk})
    assert refused.status_code == 200
    client.post(reverse("units_unit:merge", args=[a.pk]), {"successor": b.pk, "merged_on": "2025-07-01"})
    a.refresh_from_db()
    assert a.successor == b and not a.active
    client.post(reverse("units_unit:deactivate", args=[b.pk]))
    b.refresh_from_db()
    assert not b.active


def test_department_boards_cannot_manage_units(client, network):
    client.force_login(network.user("a", BoardRole.CHIEF))
    assert client.get(reverse("units_unit:index")).status_code in (302, 403)
    response = client.post(reverse("units_unit:merge", args=[network.units["b"].pk]),
                           {"successor": network.units["a"].pk})
    assert response.status_code in (302, 403)
    network.units["b"].refresh_from_db()
    assert network.units["b"].successor_id is None
