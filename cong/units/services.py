"""Writes for units, portals and editorial boards.

Every change to units, portals and boards goes through these functions: the
admin views, the records import and the management commands call them, so
the rules below hold whatever the entry point.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from cong.core import cache_version
from cong.core.errors import ApplicationError
from cong.core.vn import fold

from .choices import LEADER_ROLES, BoardRole, UnitType
from .models import BoardMembership, Portal, PortalGroup, PortalSettings, Unit

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)

UNIT_FIELDS = (
    "name", "short_name", "unit_type", "parent", "official_code", "address",
    "phone", "fax", "email", "active",
)

# Rights of each board role on its portal's page tree, media collection and
# settings. Publishing belongs to the board's leaders (Trưởng, Phó trưởng ban).
PAGE_PERMISSIONS = {
    BoardRole.CONTRIBUTOR: ("add_page",),
    BoardRole.EDITOR: ("add_page", "change_page", "lock_page"),
    BoardRole.SECRETARY: ("add_page", "change_page", "lock_page", "unlock_page"),
    BoardRole.DEPUTY: (
        "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
    ),
    BoardRole.CHIEF: (
        "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
    ),
}
MEDIA_PERMISSIONS = {
    BoardRole.CONTRIBUTOR: ("add", "choose"),
    BoardRole.EDITOR: ("add", "change", "choose"),
    BoardRole.SECRETARY: ("add", "change", "choose"),
    BoardRole.DEPUTY: ("add", "change", "delete", "choose"),
    BoardRole.CHIEF: ("add", "change", "delete", "choose"),
}
SETTINGS_ROLES = (BoardRole.SECRETARY, BoardRole.DEPUTY, BoardRole.CHIEF)
BOARD_ADMIN_PERMISSIONS = (
    "reporting.add_workplantask", "reporting.change_workplantask",
    "reporting.delete_workplantask", "reporting.view_workplantask",
    "units.add_boardmembership", "units.change_boardmembership",
    "units.delete_boardmembership", "units.view_boardmembership",
    "units.add_portalpathredirect", "units.change_portalpathredirect",
    "units.delete_portalpathredirect", "units.view_portalpathredirect",
)
# The province board's leaders keep the register of units.
NETWORK_PERMISSIONS = (
    "units.add_unit", "units.change_unit", "units.delete_unit", "units.view_unit",
)
# Model permissions for portal-scoped snippets; the rows a member sees are
# limited to their portals by the snippet viewsets (see permissions.py).
SNIPPET_PERMISSIONS = {
    BoardRole.CONTRIBUTOR: (),
    BoardRole.EDITOR: ("units.add_official", "units.change_official", "units.view_official"),
    BoardRole.SECRETARY: (
        "units.add_official", "units.change_official", "units.delete_official", "units.view_official",
    ),
    BoardRole.DEPUTY: (
        "units.add_official", "units.change_official", "units.delete_official", "units.view_official",
    ),
    BoardRole.CHIEF: (
        "units.add_official", "units.change_official", "units.delete_official", "units.view_official",
    ),
}


def _perm(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


# --- Units -------------------------------------------------------------------


def _changed() -> None:
    """Units, portals and sites changed: every process drops its copies."""
    from cong.core.page_cache import purge_all

    cache_version.bump(cache_version.PORTALS)
    cache_version.bump(cache_version.CONTENT)
    purge_all()


def _clean_code(code: str | None, name: str) -> str:
    base = slugify(fold(code or "")) or slugify(fold(name))[:50] or "don-vi"
    return base[:64]


def _check_parent(unit: Unit | None, parent: Unit | None) -> None:
    if parent is None:
        return
    if unit is not None and unit.pk is not None:
        if parent.pk == unit.pk:
            raise ApplicationError("Đơn vị không thể là cấp trên của chính nó.", field="parent")
        if any(a.pk == unit.pk for a in parent.ancestors()):
            raise ApplicationError(
                f"Chọn {parent.name} làm cấp trên sẽ tạo thành vòng lặp.", field="parent"
            )


def hostname_clean(hostname: str, *, portal: Portal | None = None) -> str:
    """Normalise a host name and refuse one that is malformed or taken."""
    host = (hostname or "").strip().lower().rstrip(".")
    if not HOSTNAME_RE.match(host):
        raise ApplicationError(f"'{hostname}' không phải tên miền hợp lệ.", field="hostname")
    taken = Site.objects.filter(hostname=host)
    if portal is not None:
        taken = taken.exclude(pk=portal.site_id)
    other = taken.select_related("portal__unit").first()
    if other is not None:
        owner = getattr(getattr(other, "portal", None), "unit", None)
        name = owner.name if owner else other.site_name or other.hostname
        raise ApplicationError(
            f"Tên miền {host} đã được dùng cho {name}.", field="hostname"
        )
    return host


@transaction.atomic
def unit_create(
    *,
    name: str,
    unit_type: str,
    code: str | None = None,
    parent: Unit | None = None,
    hostname: str | None = None,
    actor: Any = None,
    **fields: Any,
) -> Unit:
    """Create a unit, and its portal when a host name is given.

    Raises ApplicationError for a taken code or host name or an inactive parent.
    """
    code = _clean_code(code, name)
    if Unit.objects.filter(code=code).exists():
        raise ApplicationError(f"Mã đơn vị {code} đã tồn tại.", field="code")
    if unit_type not in UnitType.values:
        raise ApplicationError(f"Loại đơn vị không hợp lệ: {unit_type}.", field="type")
    if parent is not None and not parent.active:
        raise ApplicationError(
            f"Đơn vị cấp trên {parent.name} đã ngừng hoạt động.", field="parent"
        )
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit(code=code, name=name, unit_type=unit_type, parent=parent, **fields)
    unit.full_clean()
    unit.save()
    _changed()
    log(unit, "wagtail.create", user=actor)
    if hostname:
        portal_create(unit=unit, hostname=hostname, actor=actor)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor: Any = None, hostname: str | None = None, **fields: Any) -> Unit:
    """Change a unit's register entry (and its portal's host name).

    Refuses a parent that would make a cycle.
    """
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    if "parent" in fields:
        _check_parent(unit, fields["parent"])
    if fields.get("active") is True and unit.successor_id:
        raise ApplicationError(
            "Đơn vị đã sáp nhập không thể hoạt động lại.", field="active"
        )
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.full_clean()
    unit.save()
    portal = Portal.objects.filter(unit=unit).select_related("site").first()
    if portal is not None:
        site = portal.site
        site.site_name = unit.name
        if hostname and hostname != site.hostname:
            site.hostname = hostname_clean(hostname, portal=portal)
        site.save()
    elif hostname:
        portal_create(unit=unit, hostname=hostname, actor=actor)
    _changed()
    log(unit, "wagtail.edit", user=actor)
    return unit


@transaction.atomic
def unit_deactivate(*, unit: Unit, actor: Any = None) -> Unit:
    """Mark a unit inactive; its portal and content stay as they are."""
    if not unit.active:
        return unit
    unit.active = False
    unit.save(update_fields=["active", "updated_at"])
    _changed()
    log(unit, "cong.unit.deactivate", user=actor)
    return unit


@transaction.atomic
def unit_merge(
    *, unit: Unit, into: Unit, merged_on: dt.date | None = None, actor: Any = None
) -> Unit:
    """Merge ``unit`` into ``into``: the unit becomes inactive and its
    portal's host name redirects permanently to the successor's portal."""
    if into.pk == unit.pk:
        raise ApplicationError("Không thể sáp nhập một đơn vị vào chính nó.", field="successor")
    if not into.active:
        raise ApplicationError(
            f"{into.name} đã ngừng hoạt động; không thể sáp nhập vào đơn vị này.",
            field="successor",
        )
    if unit.successor_id and unit.successor_id != into.pk:
        raise ApplicationError(
            f"{unit.name} đã được sáp nhập vào {unit.successor.name}.", field="successor"
        )
    node, seen = into, set()
    while node is not None and node.pk not in seen:
        if node.pk == unit.pk:
            raise ApplicationError("Sáp nhập này tạo thành vòng lặp.", field="successor")
        seen.add(node.pk)
        node = node.successor
    unit.successor = into
    unit.active = False
    unit.merged_on = merged_on or timezone.localdate()
    unit.save(update_fields=["successor", "active", "merged_on", "updated_at"])
    _changed()
    log(unit, "cong.unit.merge", user=actor, data={"into": into.pk, "into_name": into.name})
    return unit


def unit_holds_content(unit: Unit) -> bool:
    return Portal.objects.filter(unit=unit).exists() or unit.children.exists()


@transaction.atomic
def unit_delete(*, unit: Unit, actor: Any = None) -> None:
    """Delete a unit that holds nothing; otherwise refuse and say why."""
    message = (
        f"{unit.name} đã có cổng thông tin hoặc dữ liệu nên không thể xóa; "
        "hãy chuyển sang ngừng hoạt động hoặc sáp nhập vào đơn vị khác."
    )
    if unit_holds_content(unit):
        raise ApplicationError(message, code="holds_content")
    try:
        log(unit, "wagtail.delete", user=actor)
        unit.delete()
        _changed()
    except ProtectedError as exc:
        raise ApplicationError(message, code="holds_content") from exc


# --- Portals -----------------------------------------------------------------


def province_portal() -> Portal | None:
    return (
        Portal.objects.filter(unit__unit_type=UnitType.PROVINCE, unit__parent__isnull=True)
        .select_related("site", "unit")
        .order_by("pk")
        .first()
    )


def _role_group(portal: Portal, role: str) -> Group:
    label = BoardRole(role).label
    group, _ = Group.objects.get_or_create(name=f"{portal.unit.code} · {label}")
    PortalGroup.objects.get_or_create(portal=portal, role=role, defaults={"group": group})
    return group


def _grant_tree(group: Group, page: Page, collection: Collection, role: str) -> None:
    for codename in PAGE_PERMISSIONS[role]:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_perm(f"wagtailcore.{codename}")
        )
    for action in MEDIA_PERMISSIONS[role]:
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_perm(f"{app}.{action}_{model}")
            )


def _grant_settings(group: Group, site: Site) -> None:
    GroupSitePermission.objects.get_or_create(
        group=group, site=site, permission=_perm("units.change_portalsettings")
    )


def _province_leader_groups() -> list[Group]:
    return list(
        Group.objects.filter(
            portal_role__role__in=LEADER_ROLES,
            portal_role__portal__unit__unit_type=UnitType.PROVINCE,
            portal_role__portal__unit__parent__isnull=True,
        )
    )


def _setup_groups(portal: Portal) -> None:
    admin_access = _perm("wagtailadmin.access_admin")
    for role in BoardRole.values:
        group = _role_group(portal, role)
        group.permissions.add(admin_access, *[_perm(p) for p in SNIPPET_PERMISSIONS[role]])
        if role in SETTINGS_ROLES:
            group.permissions.add(*[_perm(p) for p in BOARD_ADMIN_PERMISSIONS])
        _grant_tree(group, portal.site.root_page, portal.collection, role)
        if role in SETTINGS_ROLES:
            _grant_settings(group, portal.site)
    unit = portal.unit
    if unit.unit_type == UnitType.PROVINCE and unit.parent_id is None:
        # The province board's leaders oversee every portal of the network:
        # rights at the tree root and root collection, and every site's settings.
        root_page = Page.get_first_root_node()
        root_collection = Collection.get_first_root_node()
        for group in _province_leader_groups():
            _grant_tree(group, root_page, root_collection, BoardRole.CHIEF)
            group.permissions.add(*[_perm(p) for p in NETWORK_PERMISSIONS])
            for site in Site.objects.all():
                _grant_settings(group, site)
    else:
        for group in _province_leader_groups():
            _grant_settings(group, portal.site)


def _drop_placeholder_default_site() -> None:
    """Remove Wagtail's initial "Welcome" site so the province can be default."""
    for site in Site.objects.filter(is_default_site=True).select_related("root_page"):
        if not Portal.objects.filter(site=site).exists():
            site.is_default_site = False
            site.save(update_fields=["is_default_site"])


@transaction.atomic
def portal_create(
    *, unit: Unit, hostname: str, actor: Any = None, launched_on: dt.date | None = None
) -> Portal:
    """Create the unit's portal: site, home page and standard sections,
    media collection, board groups with their rights, and settings.

    Raises ApplicationError for an inactive unit, a unit that already has a
    portal, or a host name that is malformed or taken.
    """
    if not unit.active:
        raise ApplicationError(f"{unit.name} đã ngừng hoạt động.", field="unit")
    if Portal.objects.filter(unit=unit).exists():
        raise ApplicationError(f"{unit.name} đã có cổng thông tin.", field="unit")
    host = hostname_clean(hostname)
    collection = Collection.get_first_root_node().add_child(name=unit.name)
    build_home = import_string(settings.CONG_PORTAL_HOME_BUILDER)
    home = build_home(unit=unit)
    is_province = unit.unit_type == UnitType.PROVINCE and unit.parent_id is None
    make_default = is_province and not Portal.objects.filter(
        site__is_default_site=True
    ).exists()
    if make_default:
        _drop_placeholder_default_site()
    site = Site.objects.create(
        hostname=host, port=settings.CONG_SITE_PORT, root_page=home, site_name=unit.name,
        is_default_site=make_default,
    )
    portal = Portal.objects.create(
        unit=unit, site=site, collection=collection, launched_on=launched_on
    )
    PortalSettings.objects.update_or_create(
        site=site,
        defaults={
            "portal_name": default_portal_name(unit),
            "governing_body": unit.parent.name if unit.parent else unit.name,
            "address": unit.address,
            "phone": unit.phone,
            "fax": unit.fax,
            "email": unit.email,
        },
    )
    _setup_groups(portal)
    for fn in hooks.get_hooks("cong_after_portal_create"):
        fn(portal=portal)
    _changed()
    log(unit, "cong.portal.create", user=actor, data={"hostname": host})
    return portal


def default_portal_name(unit: Unit) -> str:
    if unit.unit_type in (UnitType.PROVINCE,):
        return f"Cổng Thông tin điện tử {unit.name}"
    return f"Trang Thông tin điện tử {unit.name}"


# --- Editorial boards ------------------------------------------------------------


@transaction.atomic
def board_member_appoint(
    *,
    portal: Portal,
    user: Any,
    role: str,
    decision_number: str,
    decision_date: dt.date,
    started_on: dt.date | None = None,
    actor: Any = None,
) -> BoardMembership:
    """Appoint a user to a portal's board in a role, by a decision."""
    if role not in BoardRole.values:
        raise ApplicationError(f"Vai trò không hợp lệ: {role}.", field="role")
    if not decision_number.strip():
        raise ApplicationError("Cần số quyết định phân công.", field="decision_number")
    if BoardMembership.objects.filter(
        portal=portal, user=user, role=role, ended_on__isnull=True
    ).exists():
        raise ApplicationError(
            f"{user} đã giữ vai trò {BoardRole(role).label} trong Ban Biên tập này.",
            field="role",
        )
    membership = BoardMembership.objects.create(
        portal=portal, user=user, role=role, decision_number=decision_number.strip(),
        decision_date=decision_date, started_on=started_on or decision_date,
    )
    _role_group(portal, role).user_set.add(user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    log(membership, "wagtail.create", user=actor)
    return membership


@transaction.atomic
def board_member_dismiss(
    *, membership: BoardMembership, ended_on: dt.date | None = None, actor: Any = None
) -> BoardMembership:
    """End a board membership. A staff account left without any board role
    (and without operator rights) is deactivated."""
    if membership.ended_on is not None:
        return membership
    membership.ended_on = ended_on or timezone.localdate()
    membership.save(update_fields=["ended_on", "updated_at"])
    group = PortalGroup.objects.get(portal=membership.portal, role=membership.role).group
    user = membership.user
    group.user_set.remove(user)
    still_member = BoardMembership.objects.filter(user=user, ended_on__isnull=True).exists()
    if not still_member and not user.is_superuser:
        user.is_active = False
        user.save(update_fields=["is_active"])
    log(membership, "cong.board.dismiss", user=actor)
    return membership


def content_type_for(model) -> ContentType:
    return ContentType.objects.get_for_model(model)
