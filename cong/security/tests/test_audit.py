"""The audit log: fed by signals from every app, append-only, searchable,
exportable, and kept to each board's own portals."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from cong.security.choices import AuditAction
from cong.security.models import AuditEvent
from cong.units.choices import BoardRole

PASSWORD = "matkhau-thu-nghiem"


def events(**filters):
    return AuditEvent.objects.filter(**filters).order_by("id")


def test_sign_in_and_failed_sign_in_are_logged_with_address(network):
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Trinh duyet thu")
    user = network.user("a", BoardRole.EDITOR)
    before = AuditEvent.objects.count()
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": "sai-mat-khau"})
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    failed = events(action=AuditAction.LOGIN_FAILED).last()
    assert failed.object_repr == user.username and failed.ip == "203.0.113.7"
    login = events(action=AuditAction.LOGIN).last()
    assert login.actor == user and login.ip == "203.0.113.7"
    assert login.user_agent == "Trinh duyet thu"
    assert AuditEvent.objects.count() >= before + 2


def test_publish_unpublish_and_delete_from_other_apps_are_logged(network, publish_item):
    editor = network.user("a", BoardRole.CHIEF)
    page = publish_item(network.portals["a"], title="Tin kiểm toán", user=editor)
    published = events(action=AuditAction.PUBLISH, object_id=str(page.pk)).get()
    assert published.actor == editor
    assert published.portal_id == network.portals["a"].pk
    assert published.object_repr == "Tin kiểm toán"

    page.unpublish(user=editor)
    assert events(action=AuditAction.UNPUBLISH, object_id=str(page.pk)).exists()

    pk = page.pk
    page.delete()
    deleted = events(action=AuditAction.DELETE, object_id=str(pk))
    assert deleted.filter(object_type__endswith="page").exists()


def test_permission_and_group_changes_are_logged(network):
    from django.contrib.auth.models import Group, Permission

    user = network.user("b", BoardRole.CONTRIBUTOR)
    group = Group.objects.create(name="Nhóm thử quyền")
    user.groups.add(group)
    change = events(action=AuditAction.PERMISSION_CHANGE, object_type="accounts.user",
                    object_id=str(user.pk)).last()
    assert change.changes["field"] == "groups"
    assert change.changes["operation"] == "add"
    assert change.changes["items"] == ["Nhóm thử quyền"]

    perm = Permission.objects.get(codename="access_admin")
    group.permissions.add(perm)
    assert events(action=AuditAction.PERMISSION_CHANGE, object_type="auth.group",
                  object_id=str(group.pk)).filter(changes__field="permissions").exists()

    user.is_superuser = True
    user.save()
    flag = events(action=AuditAction.PERMISSION_CHANGE, object_id=str(user.pk)).last()
    assert flag.changes == {"is_superuser": [False, True]}


def test_setting_changes_record_before_and_after(network):
    from cong.units.models import PortalSettings

    ps = PortalSettings.for_site(network.portals["a"].site)
    old = ps.phone
    ps.phone = "0274 3822 999"
    ps.save()
    change = events(action=AuditAction.SETTING_CHANGE, object_id=str(ps.pk)).last()
    assert change.changes["phone"] == [old, "0274 3822 999"]
    assert change.portal_id is None or change.portal_id == network.portals["a"].pk


def test_wagtail_logged_actions_are_mirrored(network):
    from cong.units import services

    membership = network.user("b", BoardRole.SECRETARY).board_memberships.get()
    services.board_member_dismiss(membership=membership, actor=network.superuser)
    mirrored = events(action=AuditAction.ADMIN_ACTION, message="cong.board.dismiss").last()
    assert mirrored is not None and mirrored.actor == network.superuser


def test_entries_cannot_be_changed_or_deleted(network):
    from cong.security.audit import record

    event = record(AuditAction.EXPORT, actor=network.superuser, message="thử")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(message="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditevent")
    event.refresh_from_db()
    assert event.message == "thử"


def test_deleting_a_user_keeps_their_entries(network):
    from cong.accounts.models import User

    user = User.objects.create_user("tam-thoi", password=PASSWORD)
    client = Client()
    client.post(reverse("wagtailadmin_login"), {"username": "tam-thoi", "password": PASSWORD})
    user.delete()
    assert events(action=AuditAction.LOGIN, actor_name="tam-thoi").exists()


def _login(client, user):
    client.force_login(user)
    return client


def test_audit_view_search_keyset_pages_and_scoping(client, network, publish_item, settings):
    from cong.security import selectors
    from cong.security.audit import record

    pa, pb = network.portals["a"], network.portals["b"]
    for i in range(7):
        record(AuditAction.EXPORT, actor=network.superuser, portal=pa, object_repr=f"Bản ghi A{i}")
    record(AuditAction.EXPORT, actor=network.superuser, portal=pb, object_repr="Bản ghi của B")

    # the leader of portal a sees a's entries, never b's
    _login(client, network.user("a", BoardRole.CHIEF))
    response = client.get(reverse("security_audit"), {"q": "Bản ghi"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bản ghi A6" in body and "Bản ghi của B" not in body

    # keyset pages walk every row exactly once
    settings_size = 3
    qs = selectors.audit_events(network.user("a", BoardRole.CHIEF), selectors.AuditFilter(q="Bản ghi A"))
    seen, cursor = [], ""
    while True:
        rows, cursor = selectors.audit_page(qs, cursor, settings_size)
        seen += [r.object_repr for r in rows]
        if not cursor:
            break
    assert seen == [f"Bản ghi A{i}" for i in range(6, -1, -1)]
    response = client.get(reverse("security_audit"), {"q": "Bản ghi A", "after": selectors.encode_cursor(
        AuditEvent.objects.get(object_repr="Bản ghi A3"))})
    body = response.content.decode()
    assert "Bản ghi A2" in body and "Bản ghi A3" not in body and "Bản ghi A4" not in body

    # an editor has no access to the log
    _login(client, network.user("a", BoardRole.EDITOR))
    refused = client.get(reverse("security_audit"), {"q": "Bản ghi"})
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")

    # the province's leaders see every portal
    _login(client, network.user("province", BoardRole.CHIEF))
    assert "Bản ghi của B" in client.get(reverse("security_audit"), {"q": "Bản ghi"}).content.decode()


def test_csv_export_contains_the_filtered_rows_and_is_itself_logged(client, network):
    from cong.security.audit import record

    pa = network.portals["a"]
    for i in range(3):
        record(AuditAction.PERSONAL_DATA_VIEW, actor=network.superuser, portal=pa, object_repr=f"Hồ sơ {i}")
    client.force_login(network.superuser)
    response = client.get(reverse("security_audit"), {"action": "personal_data_view", "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "at", "action"]
    assert sorted(r[8] for r in rows[1:]) == ["Hồ sơ 0", "Hồ sơ 1", "Hồ sơ 2"]
    export = events(action=AuditAction.EXPORT).last()
    assert export.actor == network.superuser and export.changes["action"] == "personal_data_view"
