"""Reads of the syndication app: where an item was spread, what to look at,
and the report's count of items spread."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from .models import ChannelKind, ChannelPost, Operation, OutboxPost, OutboxState, Share

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    lo = dt.datetime.combine(start, dt.time.min, LOCAL_TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, LOCAL_TZ)
    return lo, hi


def _shared_item_ids(portal_id: int, start: dt.date, end: dt.date, channel: str | None) -> set[int]:
    lo, hi = _bounds(start, end)
    imported = Share.objects.filter(portal_id=portal_id, shared_at__gte=lo, shared_at__lt=hi)
    sent = OutboxPost.objects.filter(
        portal_id=portal_id, item__isnull=False, state=OutboxState.SENT, operation=Operation.CREATE,
        sent_at__gte=lo, sent_at__lt=hi,
    )
    if channel:
        imported = imported.filter(channel_kind=channel)
        sent = sent.filter(channel_kind=channel)
    return set(imported.values_list("item_id", flat=True)) | set(sent.values_list("item_id", flat=True))


def items_shared_count(unit, start: dt.date, end: dt.date) -> int:
    """Distinct content items of the unit's portal with at least one share
    (an imported ``share`` record or a post the outbox made) in [start, end],
    local dates. An item spread on both channels counts once."""
    portal = getattr(unit, "portal", None)
    if portal is None:
        return 0
    return len(_shared_item_ids(portal.pk, start, end, None))


def items_spread(*, portal, start: dt.date, end: dt.date) -> dict[str, int]:
    """Items spread per channel and in total (an item on both counts once in the total)."""
    result = {kind: len(_shared_item_ids(portal.pk, start, end, kind)) for kind in ChannelKind.values}
    result["total"] = len(_shared_item_ids(portal.pk, start, end, None))
    return result


def item_posts(item) -> QuerySet[ChannelPost]:
    """Where an item is (or was) spread, newest first."""
    return ChannelPost.objects.filter(item_id=item.pk).order_by("-created_at")


def item_outbox(item) -> QuerySet[OutboxPost]:
    return OutboxPost.objects.filter(item_id=item.pk).prefetch_related("attempt_log").order_by("-pk")


def outbox_problems(portal_ids=None) -> QuerySet[OutboxPost]:
    qs = OutboxPost.objects.filter(state__in=[OutboxState.FAILED, OutboxState.UNKNOWN])
    if portal_ids is not None:
        qs = qs.filter(portal_id__in=portal_ids)
    return qs.select_related("item", "portal__unit")
