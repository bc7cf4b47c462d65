"""Reads of the security app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from cong.units.choices import LEADER_ROLES
from cong.units.permissions import is_network_overseer

from .models import AuditEvent, Case

PAGE_SIZE = 50


def audit_portal_ids(user) -> frozenset[int] | None:
    """Portals whose audit entries the user may read: None for all (superusers
    and the province board's leaders), the portals a user leads otherwise."""
    if is_network_overseer(user):
        return None
    if not user.is_authenticated:
        return frozenset()
    from cong.units.models import PortalGroup

    return frozenset(
        PortalGroup.objects.filter(group__user=user, role__in=LEADER_ROLES)
        .values_list("portal_id", flat=True)
    )


def can_view_audit(user) -> bool:
    ids = audit_portal_ids(user)
    return ids is None or bool(ids)


@dataclass
class AuditFilter:
    q: str = ""
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    portal: int | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(user, flt: AuditFilter) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    ids = audit_portal_ids(user)
    if ids is not None:
        qs = qs.filter(portal_id__in=ids)
    if flt.portal:
        qs = qs.filter(portal_id=flt.portal)
    if flt.actor:
        from django.contrib.auth import get_user_model

        ids = list(get_user_model().objects.filter(username__iexact=flt.actor).values_list("pk", flat=True))
        # by id where the account exists (the (actor, at) index), by name otherwise
        qs = qs.filter(actor_id__in=ids) if ids else qs.filter(actor_name=flt.actor)
    if flt.action:
        qs = qs.filter(action=flt.action)
    if flt.object_type:
        qs = qs.filter(object_type=flt.object_type)
    if flt.object_id:
        qs = qs.filter(object_id=flt.object_id)
    if flt.date_from:
        qs = qs.filter(at__gte=_day_start(flt.date_from))
    if flt.date_to:
        qs = qs.filter(at__lt=_day_start(flt.date_to + dt.timedelta(days=1)))
    if flt.q:
        qs = qs.filter(Q(object_repr__icontains=flt.q) | Q(message__icontains=flt.q)
                       | Q(actor_name__icontains=flt.q))
    return qs.order_by("-at", "-id")


def encode_cursor(event: AuditEvent) -> str:
    return f"{event.at.timestamp():.6f}_{event.pk}"


def decode_cursor(value: str):
    try:
        ts, pk = value.split("_", 1)
        return dt.datetime.fromtimestamp(float(ts), tz=dt.UTC), int(pk)
    except (ValueError, OverflowError):
        return None


def audit_page(qs: QuerySet[AuditEvent], cursor: str = "", size: int = PAGE_SIZE):
    """Keyset pagination: the entries after ``cursor`` (older), and the cursor
    of the next page. Constant time at any depth, unlike OFFSET."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        at, pk = position
        # the upper bound on ``at`` alone lets the (at, id) index range-scan
        qs = qs.filter(Q(at__lte=at) & (Q(at__lt=at) | Q(id__lt=pk)))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode_cursor(rows[-1]) if more and rows else "")


def audit_iter(qs: QuerySet[AuditEvent], chunk: int = 2000):
    """Every entry of ``qs`` in keyset chunks (for exports)."""
    cursor = ""
    while True:
        rows, cursor = audit_page(qs, cursor, chunk)
        yield from rows
        if not cursor:
            return


def cases_for_user(user) -> QuerySet[Case]:
    from cong.units.permissions import portal_ids_for_user

    ids = portal_ids_for_user(user)
    qs = Case.objects.select_related("portal__unit", "responsible", "page")
    return qs if ids is None else qs.filter(portal_id__in=ids)
