"""Reads for units and portals."""

from __future__ import annotations

import copy

from django.db.models import QuerySet
from wagtail.models import Site

from cong.core import cache_version
from cong.core.cache_version import LocalCache

from .choices import UnitType
from .models import Portal, Unit

_PORTALS = LocalCache(512)
_NETWORK = LocalCache(4)


def portal_for_site(site: Site | None) -> Portal | None:
    """The portal a Wagtail site belongs to (process-local cache, versioned)."""
    if site is None:
        return None
    if not hasattr(site, "_cong_portal"):
        version = cache_version.current(cache_version.PORTALS)
        cached = _PORTALS.get_or_set(
            site.pk, version,
            lambda: Portal.objects.select_related("unit", "unit__successor", "site")
            .filter(site_id=site.pk).first(),
        )
        site._cong_portal = copy.copy(cached) if cached is not None else None
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

    Cached per process; the ``portals`` cache version invalidates it.
    """
    return _NETWORK.get_or_set("network", cache_version.current(cache_version.PORTALS), _network)


def _network() -> list[dict]:
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
    return [groups[t] for t in order if t in groups]


def child_units(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit)
