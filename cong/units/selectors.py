"""Reads for units and portals."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from wagtail.models import Site

from .choices import UnitType
from .models import Portal, Unit

NETWORK_CACHE_KEY = "units:network:v1"


def portal_for_site(site: Site | None) -> Portal | None:
    """The portal a Wagtail site belongs to (cached on the site object)."""
    if site is None:
        return None
    if not hasattr(site, "_cong_portal"):
        site._cong_portal = (
            Portal.objects.select_related("unit", "unit__successor").filter(site=site).first()
        )
    return site._cong_portal


def units_list(*, unit_type: str | None = None, active: bool | None = None) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("parent", "successor")
    if unit_type:
        qs = qs.filter(unit_type=unit_type)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def network_portals() -> list[dict]:
    """Active portals of the network for the public list, grouped by unit type.

    Cached: it appears on the province home page. Invalidated when a portal
    or unit changes (see ``network_cache_clear``).
    """
    data = cache.get(NETWORK_CACHE_KEY)
    if data is not None:
        return data
    rows = (
        Portal.objects.filter(unit__active=True)
        .select_related("unit", "site")
        .order_by("unit__unit_type", "unit__name")
    )
    groups: dict[str, dict] = {}
    labels = dict(UnitType.choices)
    for portal in rows:
        t = portal.unit.unit_type
        group = groups.setdefault(t, {"type": t, "label": str(labels[t]), "portals": []})
        group["portals"].append(
            {"name": portal.unit.name, "short_name": portal.unit.display_short_name,
             "url": portal.site.root_url + "/", "hostname": portal.site.hostname}
        )
    order = [UnitType.PROVINCE, UnitType.DEPARTMENT, UnitType.DISTRICT, UnitType.COMMUNE, UnitType.OTHER]
    data = [groups[t] for t in order if t in groups]
    cache.set(NETWORK_CACHE_KEY, data, 600)
    return data


def network_cache_clear() -> None:
    cache.delete(NETWORK_CACHE_KEY)


def child_units(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit)
