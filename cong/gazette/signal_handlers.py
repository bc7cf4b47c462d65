"""Board groups get the gazette's model permissions by role; the rows they
see are limited to their portals by the portal-scoped admin viewsets."""

from __future__ import annotations

from django.db.models.signals import post_migrate, post_save

from cong.units.choices import BoardRole

_ALL = ("add", "change", "delete", "view")
_MODELS = ("legaldocument", "gazetteissue", "validityevent", "relation", "documentfile")
GAZETTE_PERMISSIONS = {
    BoardRole.CONTRIBUTOR: tuple(f"{a}_{m}" for m in ("legaldocument", "documentfile") for a in ("add", "view")),
    BoardRole.EDITOR: tuple(f"{a}_{m}" for m in _MODELS for a in ("add", "change", "view")),
    BoardRole.SECRETARY: tuple(f"{a}_{m}" for m in _MODELS for a in _ALL),
    BoardRole.DEPUTY: tuple(f"{a}_{m}" for m in _MODELS for a in _ALL),
    BoardRole.CHIEF: tuple(f"{a}_{m}" for m in _MODELS for a in _ALL),
}


def grant(portal_group) -> None:
    from django.contrib.auth.models import Permission

    codenames = GAZETTE_PERMISSIONS.get(portal_group.role, ())
    perms = Permission.objects.filter(content_type__app_label="gazette", codename__in=codenames)
    portal_group.group.permissions.add(*perms)


def _on_portal_group_saved(sender, instance, created, **kwargs):
    if created and not kwargs.get("raw"):
        grant(instance)


def _on_migrated(sender, app_config=None, **kwargs):
    if app_config is None or app_config.label != "gazette":
        return
    from cong.units.models import PortalGroup

    for portal_group in PortalGroup.objects.select_related("group"):
        grant(portal_group)


def register() -> None:
    from cong.units.models import PortalGroup

    post_save.connect(_on_portal_group_saved, sender=PortalGroup, dispatch_uid="gazette_board_perms")
    post_migrate.connect(_on_migrated, dispatch_uid="gazette_board_perms_migrate")
