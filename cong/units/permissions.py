"""Who may do what on which portal.

Wagtail grants page rights on subtrees and media rights on collections, but it
does not isolate sites from each other (choosers, snippets, reports and
history see across them). Every view that lists or changes portal-owned data
goes through these helpers so that a board member sees only the portals of
their board, and the province board's leaders see all of them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .choices import LEADER_ROLES, UnitType
from .models import Portal, PortalGroup


def _cache(user, name, compute):
    key = f"_cong_{name}"
    if not hasattr(user, key):
        setattr(user, key, compute())
    return getattr(user, key)


def is_network_overseer(user) -> bool:
    """True for superusers and the leaders of the province portal's board."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _cache(
        user,
        "overseer",
        lambda: PortalGroup.objects.filter(
            group__user=user,
            role__in=LEADER_ROLES,
            portal__unit__unit_type=UnitType.PROVINCE,
            portal__unit__parent__isnull=True,
        ).exists(),
    )


def portal_ids_for_user(user) -> frozenset[int] | None:
    """Ids of the portals whose board the user sits on; None means all."""
    if is_network_overseer(user):
        return None
    if not user.is_authenticated:
        return frozenset()
    return _cache(
        user,
        "portal_ids",
        lambda: frozenset(
            PortalGroup.objects.filter(group__user=user).values_list("portal_id", flat=True)
        ),
    )


def portals_for_user(user) -> QuerySet[Portal]:
    """The portals the user may work on."""
    ids = portal_ids_for_user(user)
    qs = Portal.objects.select_related("unit", "site")
    return qs if ids is None else qs.filter(pk__in=ids)


def roles_for_user(user, portal) -> set[str]:
    return set(
        PortalGroup.objects.filter(portal=portal, group__user=user).values_list("role", flat=True)
    )


def can_access_portal(user, portal) -> bool:
    ids = portal_ids_for_user(user)
    return ids is None or portal.pk in ids


def filter_for_user(queryset: QuerySet, user, portal_field: str = "portal") -> QuerySet:
    """Limit a queryset of portal-owned rows to the user's portals."""
    ids = portal_ids_for_user(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{portal_field}__in": ids})


def can_manage_units(user) -> bool:
    """Units are the province's register: its overseers and operators keep it."""
    return is_network_overseer(user) or user.has_perm("units.change_unit")


# Models whose rows belong to one portal, with the path from a row to its
# portal. Apps add theirs with ``register_portal_scoped``; the audit report
# (site history) uses it to hide other portals' entries.
_SCOPED_MODELS: dict[type, str] = {}


def register_portal_scoped(model, portal_field: str = "portal"):
    _SCOPED_MODELS[model] = portal_field
    return model


def portal_scoped_models() -> dict[type, str]:
    return dict(_SCOPED_MODELS)
