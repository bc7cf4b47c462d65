"""Writes of the syndication app: the outbox and the workers that empty it.

Rules (docs/anchors.md §2.10, issue 7):

- publishing writes the outbox rows in the publishing transaction (see
  ``signal_handlers``); ``outbox_sweep`` re-creates any row a publish outside
  a transaction lost, with the same fixed idempotency key;
- a worker claims a row with a lease (a conditional UPDATE), so two workers or
  a task delivered twice never both work on it; rows of one item and channel
  are worked on in order;
- only errors known to happen before a post exists are retried, with
  backoff; a post whose outcome is unknown (timeout, crash of the worker after
  the request was sent) is settled by listing the channel's recent posts and
  matching the item's canonical address — never by posting again;
- Zalo's single-use refresh token is used by one worker at a time (a lease per
  channel) and the new pair is saved in one UPDATE.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cong.core.scheduler import holder_id, lease_acquire

from .clients import (
    ChannelError,
    FacebookClient,
    OutcomeUnknown,
    Rejected,
    RetryBeforePost,
    TokenExpired,
    ZaloClient,
)
from .models import (
    Attempt,
    Channel,
    ChannelKind,
    ChannelPost,
    Operation,
    OutboxAction,
    OutboxPost,
    OutboxState,
    idempotency_key,
)

logger = logging.getLogger("cong.syndication")

MAX_ATTEMPTS = 8
VERIFY_DELAY_SECONDS = 20
RECONCILE_EVERY_SECONDS = 60
ABSENT = "absent"  # outbox_reconcile(final=False): looked, not on the channel
UNFINISHED = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNKNOWN)


def worker_id() -> str:
    return f"{holder_id()}:{threading.get_ident()}"


def _lease_seconds() -> int:
    return int(getattr(settings, "CONG_SYNDICATION_LEASE_SECONDS", 120))


def _settle_seconds() -> int:
    return int(getattr(settings, "CONG_SYNDICATION_SETTLE_SECONDS", 1800))


# --- Items and portals ------------------------------------------------------------


def portal_of_page(page):
    """The portal whose tree holds ``page`` (portal homes sit at depth 2)."""
    from wagtail.models import Page

    from cong.units.models import Portal

    return (
        Portal.objects.select_related("site", "unit")
        .filter(site__root_page__path=page.path[: Page.steplen * 2]).first()
    )


def canonical_url(item) -> str:
    return item.get_full_url() or ""


# --- Writing the outbox -------------------------------------------------------------


def _last_row(item_id: int, kind: str):
    return OutboxPost.objects.filter(item_id=item_id, channel_kind=kind).order_by("-pk").first()


def _is_spread(item_id: int, kind: str) -> bool:
    """Whether the item has, or is about to have, a post on the channel."""
    if ChannelPost.objects.filter(item_id=item_id, channel_kind=kind, removed_at__isnull=True).exists():
        return True
    last = _last_row(item_id, kind)
    return bool(last and last.action == OutboxAction.PUBLISH and last.state != OutboxState.FAILED)


def _row_create(*, portal, item, revision, kind: str, action: str, key: str) -> OutboxPost | None:
    defaults = {
        "portal": portal, "item_id": item.pk, "item_title": item.title[:255], "revision": revision,
        "channel_kind": kind, "action": action, "canonical_url": canonical_url(item),
        "next_attempt_at": timezone.now(),
    }
    if action == OutboxAction.REMOVE:
        # the post to remove, known now: the item itself may be deleted before the worker runs
        live = ChannelPost.objects.filter(item_id=item.pk, channel_kind=kind, removed_at__isnull=True).first()
        if live is not None:
            defaults["external_id"] = live.external_id
    try:
        with transaction.atomic():
            post, created = OutboxPost.objects.get_or_create(idempotency_key=key, defaults=defaults)
    except IntegrityError:  # the same row written at the same moment by another process
        return None
    return post if created else None


def outbox_on_publish(*, item, revision) -> list[OutboxPost]:
    """The rows to write when ``revision`` of ``item`` is published: post or
    update where the item is to be spread; remove where it no longer is."""
    portal = portal_of_page(item)
    if portal is None or revision is None:
        return []
    wanted = item.spread_channels()
    rows = []
    for kind in ChannelKind.values:
        if kind in wanted:
            action = OutboxAction.PUBLISH
        elif _is_spread(item.pk, kind):
            action = OutboxAction.REMOVE
        else:
            continue
        post = _row_create(
            portal=portal, item=item, revision=revision, kind=kind, action=action,
            key=idempotency_key(item.pk, revision.pk, kind, action),
        )
        if post is not None:
            rows.append(post)
    _enqueue_after_commit(rows)
    return rows


def outbox_on_unpublish(*, item) -> list[OutboxPost]:
    """Unpublishing an item removes its posts."""
    portal = portal_of_page(item)
    if portal is None:
        return []
    rows = []
    for kind in ChannelKind.values:
        if not _is_spread(item.pk, kind):
            continue
        seq = OutboxPost.objects.filter(item_id=item.pk, channel_kind=kind).count()
        post = _row_create(
            portal=portal, item=item, revision=item.latest_revision, kind=kind,
            action=OutboxAction.REMOVE,
            key=idempotency_key(item.pk, item.latest_revision_id, kind, f"remove:{seq}"),
        )
        if post is not None:
            rows.append(post)
    _enqueue_after_commit(rows)
    return rows


def _enqueue_after_commit(rows: list[OutboxPost]) -> None:
    if not rows:
        return
    ids = [r.pk for r in rows]

    def enqueue():
        from .tasks import outbox_deliver_task

        for pk in ids:
            try:
                outbox_deliver_task.enqueue(post_id=pk)
            except Exception:  # the periodic drain picks the row up anyway
                logger.exception("could not enqueue outbox row %s", pk)

    transaction.on_commit(enqueue)


def outbox_sweep(*, hours: int = 48) -> int:
    """Write the rows a publish outside a transaction may have lost (a crash
    between the page's save and the outbox write). Same keys: never twice."""
    from cong.content.models import ItemPage

    since = timezone.now() - dt.timedelta(hours=hours)
    made = 0
    items = (
        ItemPage.objects.live().filter(last_published_at__gte=since, live_revision__isnull=False)
        .select_related("category", "live_revision")
    )
    for item in items.iterator(chunk_size=200):
        have = set(
            OutboxPost.objects.filter(item_id=item.pk, revision_id=item.live_revision_id)
            .values_list("channel_kind", flat=True)
        )
        missing = item.spread_channels() - have
        if missing:
            with transaction.atomic():
                made += len(outbox_on_publish(item=item, revision=item.live_revision))
    return made


# --- Channels -------------------------------------------------------------------------


def channel_save(*, channel: Channel, secrets: dict[str, str], actor=None) -> Channel:
    """Save a channel; a blank secret keeps the stored one (they are never shown)."""
    for name, value in secrets.items():
        if value:
            setattr(channel, name, value.strip())
    if secrets.get("access_token") or secrets.get("refresh_token"):
        channel.tokens_updated_at = timezone.now()
    channel.save()
    return channel


def channel_check(*, channel: Channel) -> tuple[bool, str]:
    """Test the connection: the Page (or the OA) answers with these credentials."""
    missing = channel.missing_credentials()
    if missing:
        ok, message = False, str(missing)
    else:
        try:
            if channel.kind == ChannelKind.FACEBOOK:
                info = FacebookClient(channel.account_id, channel.access_token).page_info()
                name = info.get("name") or channel.account_id
            else:
                channel = _zalo_fresh(channel)
                info = _zalo_call(channel, lambda c: c.oa_info())
                name = info.get("name") or channel.account_id
            ok, message = True, _("Kết nối được: %(name)s") % {"name": name}
        except ChannelError as exc:
            ok, message = False, exc.message
    Channel.objects.filter(pk=channel.pk).update(
        last_check_at=timezone.now(), last_check_ok=ok, last_check_message=message[:500],
    )
    return ok, message


def _zalo_fresh(channel: Channel, margin_seconds: int = 300) -> Channel:
    """Refresh the access token ahead of its expiry."""
    expires = channel.access_token_expires_at
    if channel.access_token and (expires is None or expires > timezone.now() + dt.timedelta(seconds=margin_seconds)):
        return channel
    return zalo_token_refresh(channel=channel, stale_access_token=channel.access_token)


def zalo_token_refresh(*, channel: Channel, stale_access_token: str, wait_seconds: float = 30.0) -> Channel:
    """Exchange the single-use refresh token for a new pair — one worker at a
    time per channel. A worker that waited finds the pair already renewed and
    uses it. The new pair is saved in one UPDATE as soon as Zalo answers."""
    name = f"syndication:zalo-token:{channel.pk}"
    holder = worker_id()
    deadline = time.monotonic() + wait_seconds
    while not lease_acquire(name, 60, holder):
        if time.monotonic() > deadline:
            raise RetryBeforePost(_("Một tiến trình khác đang làm mới mã Zalo; sẽ thử lại."), code="refresh-busy")
        time.sleep(0.05)
    try:
        fresh = Channel.objects.get(pk=channel.pk)
        if fresh.access_token and fresh.access_token != stale_access_token:
            return fresh  # renewed by another worker meanwhile
        if not fresh.refresh_token:
            raise TokenExpired(_("Mã truy cập Zalo hết hạn và không có mã làm mới; cần cấp quyền lại."),
                               code="no-refresh-token")
        data = ZaloClient("").token_refresh(
            app_id=fresh.app_id, secret_key=fresh.app_secret, refresh_token=fresh.refresh_token,
        )
        now = timezone.now()
        fresh.access_token = data["access_token"]
        fresh.refresh_token = data.get("refresh_token") or ""
        fresh.access_token_expires_at = now + dt.timedelta(seconds=int(data.get("expires_in") or 3600))
        fresh.tokens_updated_at = now
        with transaction.atomic():
            fresh.save(update_fields=["access_token", "refresh_token", "access_token_expires_at", "tokens_updated_at"])
        return fresh
    finally:
        from cong.core.models import Lease

        Lease.objects.filter(name=name, holder=holder).update(expires_at=timezone.now())


def _zalo_call(channel: Channel, fn):
    """Call Zalo; on an expired token, renew it (serialised) and call once more.
    Only for calls that are harmless to repeat or refused before acting."""
    try:
        return fn(ZaloClient(channel.access_token))
    except TokenExpired:
        channel = zalo_token_refresh(channel=channel, stale_access_token=channel.access_token)
        return fn(ZaloClient(channel.access_token))


# --- Board notifications ----------------------------------------------------------------


def _notify_board(post: OutboxPost, reason: str) -> None:
    from cong.units.choices import BoardRole
    from cong.units.models import BoardMembership

    emails = sorted({
        m.user.email for m in BoardMembership.objects.filter(
            portal_id=post.portal_id, ended_on__isnull=True,
            role__in=[BoardRole.CHIEF, BoardRole.DEPUTY, BoardRole.SECRETARY],
        ).select_related("user") if m.user.email
    })
    if not emails:
        return
    subject = _("[Cổng] Không lan tỏa được tin lên %(channel)s") % {"channel": post.get_channel_kind_display()}
    body = _(
        "Tin “%(title)s” chưa được đăng lên %(channel)s.\n\nLý do: %(reason)s\n\n"
        "Xem và thử lại tại mục Lan tỏa thông tin trong trang quản trị."
    ) % {"title": post.item_title, "channel": post.get_channel_kind_display(), "reason": reason}
    try:
        send_mail(subject, body, None, emails, fail_silently=False)
    except Exception:
        logger.exception("could not notify the board of portal %s", post.portal_id)


# --- Row state changes -------------------------------------------------------------------


def _log(post, step, outcome, *, exc: ChannelError | None = None, message="", worker="", actor=None):
    Attempt.objects.create(
        post=post, step=step, outcome=outcome, worker=worker or worker_id(), actor=actor,
        http_status=getattr(exc, "http_status", None), error_code=getattr(exc, "code", "") or "",
        message=(exc.message if exc else message)[:2000],
    )


def _set(post: OutboxPost, **fields) -> None:
    for k, v in fields.items():
        setattr(post, k, v)
    OutboxPost.objects.filter(pk=post.pk).update(**fields)


def _fail(post, reason: str, *, notify: bool = True) -> str:
    _set(post, state=OutboxState.FAILED, error=reason, lease_holder="", lease_until=None)
    if notify:
        _notify_board(post, reason)
    return OutboxState.FAILED


def _retry_later(post, exc: ChannelError, *, delay: int | None = None) -> str:
    if post.attempts >= MAX_ATTEMPTS:
        return _fail(post, _("Đã thử %(n)s lần không được: %(reason)s") % {"n": post.attempts, "reason": exc.message})
    wait = delay if delay is not None else min(30 * 2 ** max(post.attempts - 1, 0), 3600)
    _set(post, state=OutboxState.PENDING, error=exc.message, lease_holder="", lease_until=None,
         next_attempt_at=timezone.now() + dt.timedelta(seconds=wait))
    return OutboxState.PENDING


def _unknown(post, reason: str) -> str:
    now = timezone.now()
    _set(post, state=OutboxState.UNKNOWN, error=reason, lease_holder="", lease_until=None,
         unknown_since=post.unknown_since or now, next_attempt_at=now)
    return OutboxState.UNKNOWN


def _record_created(post, *, channel_kind, external_id, external_url) -> bool:
    """The post exists on the channel: remember it and close the row, together —
    unless this worker's lease was taken over meanwhile (then the worker that
    holds it settles the row by listing the channel, and finds this post)."""
    now = timezone.now()
    fields = {"state": OutboxState.SENT, "operation": Operation.CREATE, "external_id": external_id,
              "external_url": external_url, "sent_at": now, "error": "", "lease_holder": "", "lease_until": None}
    with transaction.atomic():
        taken = OutboxPost.objects.filter(
            pk=post.pk, state=OutboxState.SENDING, lease_holder=post.lease_holder,
        ).update(**fields)
        if not taken:
            return False
        ChannelPost.objects.create(
            portal_id=post.portal_id, item_id=post.item_id, channel_kind=channel_kind,
            external_id=external_id, external_url=external_url, revision_id=post.revision_id,
        )
    for key, value in fields.items():
        setattr(post, key, value)
    return True


# --- Claiming and delivering --------------------------------------------------------------


def _claim(post_id: int, worker: str, states=(OutboxState.PENDING,), due: bool = True) -> OutboxPost | None:
    post = OutboxPost.objects.filter(pk=post_id).only("item_id", "channel_kind").first()
    if post is None:
        return None
    earlier = post.item_id is not None and OutboxPost.objects.filter(
        item_id=post.item_id, channel_kind=post.channel_kind, pk__lt=post_id, state__in=UNFINISHED,
    ).exists()
    if earlier:
        return None
    now = timezone.now()
    condition = Q(pk=post_id, state__in=states)
    if due:
        condition &= Q(next_attempt_at__lte=now)
    taken = OutboxPost.objects.filter(condition).update(
        state=OutboxState.SENDING, lease_holder=worker,
        lease_until=now + dt.timedelta(seconds=_lease_seconds()), attempts=F("attempts") + 1,
    )
    if taken != 1:
        return None
    return OutboxPost.objects.select_related("item", "portal__site").get(pk=post_id)


def outbox_deliver(post_id: int, *, worker: str | None = None) -> str:
    """Claim the row and carry it out; returns its new state ("" when the row
    was not claimable: done, taken by another worker, not due, or waiting for
    an earlier row of the same item and channel)."""
    worker = worker or worker_id()
    post = _claim(post_id, worker)
    if post is None:
        return ""
    channel = Channel.objects.filter(portal_id=post.portal_id, kind=post.channel_kind).first()
    if channel is None or not channel.enabled:
        reason = _("Cổng chưa cấu hình hoặc đang tắt kênh %(channel)s.") % {"channel": post.get_channel_kind_display()}
        _log(post, "check", "failed", message=reason, worker=worker)
        return _fail(post, reason)
    if channel.dry_run:
        _log(post, "dry_run", "sent", message=_("Chạy thử: không gửi lên kênh."), worker=worker)
        _set(post, state=OutboxState.SENT, operation=Operation.DRY_RUN, sent_at=timezone.now(),
             lease_holder="", lease_until=None, error="")
        return OutboxState.SENT
    missing = channel.missing_credentials()
    if missing:
        _log(post, "check", "failed", message=str(missing), worker=worker)
        return _fail(post, str(missing))
    if post.item_id is None and post.action == OutboxAction.PUBLISH:
        _log(post, "check", "failed", message=_("Tin đã bị xóa."), worker=worker)
        return _fail(post, _("Tin đã bị xóa."), notify=False)
    try:
        if post.channel_kind == ChannelKind.FACEBOOK:
            return _deliver_facebook(post, channel, worker)
        return _deliver_zalo(post, channel, worker)
    except Rejected as exc:
        _log(post, post.action, "rejected", exc=exc, worker=worker)
        return _fail(post, exc.message)
    except TokenExpired as exc:
        _log(post, post.action, "token", exc=exc, worker=worker)
        return _fail(post, exc.message)
    except RetryBeforePost as exc:
        _log(post, post.action, "retry", exc=exc, worker=worker)
        return _retry_later(post, exc)
    except OutcomeUnknown as exc:
        _log(post, post.action, "unknown", exc=exc, worker=worker)
        return _unknown(post, exc.message)


def _live_post(post) -> ChannelPost | None:
    live = ChannelPost.objects.filter(channel_kind=post.channel_kind, removed_at__isnull=True)
    if post.item_id is not None:
        found = live.filter(item_id=post.item_id).first()
        if found is not None or post.action != OutboxAction.REMOVE:
            return found
    if post.action == OutboxAction.REMOVE and post.external_id:
        return live.filter(portal_id=post.portal_id, external_id=post.external_id).first()
    return None


def _done(post, operation, message="", worker=""):
    _log(post, operation, "sent", message=message, worker=worker)
    _set(post, state=OutboxState.SENT, operation=operation, sent_at=timezone.now(), error="",
         lease_holder="", lease_until=None)
    return OutboxState.SENT


def _item_text(post) -> tuple[str, str]:
    if post.item is None:
        return post.item_title, ""
    item = post.item.specific
    return item.title, (getattr(item, "summary", "") or "").strip()


def _deliver_facebook(post, channel, worker) -> str:
    client = FacebookClient(channel.account_id, channel.access_token)
    live = _live_post(post)
    title, summary = _item_text(post)
    message = f"{title}\n\n{summary}".strip()
    if post.action == OutboxAction.REMOVE:
        if live is None:
            return _done(post, Operation.NONE, _("Không có bài để gỡ."), worker)
        client.post_delete(live.external_id)
        ChannelPost.objects.filter(pk=live.pk).update(removed_at=timezone.now())
        _set(post, external_id=live.external_id)
        return _done(post, Operation.REMOVE, worker=worker)
    if live is not None:
        client.post_update(live.external_id, message=message)
        ChannelPost.objects.filter(pk=live.pk).update(revision_id=post.revision_id, updated_at=timezone.now())
        _set(post, external_id=live.external_id, external_url=live.external_url)
        return _done(post, Operation.UPDATE, worker=worker)
    post_id = client.feed_create(message=message, link=post.canonical_url)
    _log(post, "create", "created", message=post_id, worker=worker)
    if not _record_created(post, channel_kind=ChannelKind.FACEBOOK, external_id=post_id,
                           external_url=FacebookClient.permalink(post_id)):
        return ""
    return OutboxState.SENT


def _zalo_article(post) -> dict:
    item = post.item.specific
    title, summary = _item_text(post)
    portal = post.portal
    image = getattr(item, "featured_image", None)
    if image is None:
        raise Rejected(_("Bài lan tỏa lên Zalo phải có ảnh đại diện (ảnh bìa); hãy thêm ảnh rồi thử lại."),
                       code="cover")
    rendition = image.get_rendition("fill-1200x630")
    cover = rendition.url if rendition.url.startswith("http") else portal.site.root_url + rendition.url
    return {
        "type": "normal",
        "title": title[:150],
        "author": (getattr(item, "author", "") or portal.unit.name)[:50],
        "cover": {"cover_type": "photo", "photo_url": cover, "status": "show"},
        "description": (summary or title)[:300],
        "body": [
            {"type": "text", "content": summary or title},
            {"type": "text", "content": _("Xem chi tiết: %(url)s") % {"url": post.canonical_url}},
        ],
        "status": "show",
        "comment": "show",
    }


def _zalo_article_url(article_id: str) -> str:
    return f"https://zalo.me/s/article/{article_id}"


def _deliver_zalo(post, channel, worker) -> str:
    channel = _zalo_fresh(channel)
    live = _live_post(post)
    if post.action == OutboxAction.REMOVE:
        if live is None:
            return _done(post, Operation.NONE, _("Không có bài để gỡ."), worker)
        _zalo_call(channel, lambda c: c.article_remove(live.external_id))
        ChannelPost.objects.filter(pk=live.pk).update(removed_at=timezone.now())
        _set(post, external_id=live.external_id)
        return _done(post, Operation.REMOVE, worker=worker)
    if live is not None:
        article = _zalo_article(post)
        _zalo_call(channel, lambda c: c.article_update(live.external_id, article))
        ChannelPost.objects.filter(pk=live.pk).update(revision_id=post.revision_id, updated_at=timezone.now())
        _set(post, external_id=live.external_id, external_url=live.external_url)
        return _done(post, Operation.UPDATE, worker=worker)
    if not post.zalo_token:
        article = _zalo_article(post)
        # create is refused before anything exists on an expired token, so a
        # renewal and one more call cannot make two articles
        token = _zalo_call(channel, lambda c: c.article_create(article))
        _set(post, zalo_token=token)
        _log(post, "create", "created", message=token, worker=worker)
    article_id = _zalo_call(channel, lambda c: c.article_verify(post.zalo_token))
    if not article_id:
        _log(post, "verify", "processing", message=_("Zalo đang xử lý bài; sẽ kiểm tra lại."), worker=worker)
        _set(post, state=OutboxState.PENDING, lease_holder="", lease_until=None,
             attempts=F("attempts") - 1,
             next_attempt_at=timezone.now() + dt.timedelta(seconds=VERIFY_DELAY_SECONDS))
        return OutboxState.PENDING
    if not _record_created(post, channel_kind=ChannelKind.ZALO, external_id=article_id,
                           external_url=_zalo_article_url(article_id)):
        return ""
    _zalo_broadcast(post, channel, article_id, worker)
    return OutboxState.SENT


def _zalo_broadcast(post, channel, article_id, worker) -> None:
    """Send the article to followers at most once: a failure is recorded, not retried."""
    try:
        _zalo_call(channel, lambda c: c.broadcast(article_id))
        _log(post, "broadcast", "sent", worker=worker)
    except ChannelError as exc:
        _log(post, "broadcast", "failed", exc=exc, worker=worker)
        _set(post, error=_("Bài đã đăng nhưng chưa gửi được tới người quan tâm: %(r)s") % {"r": exc.message})


# --- Recovery and reconciliation -------------------------------------------------------------


def outbox_recover() -> int:
    """Rows whose worker died (lease expired while sending): a Zalo article
    already created goes on to verification; anything else is unknown."""
    now = timezone.now()
    n = 0
    for post in OutboxPost.objects.filter(state=OutboxState.SENDING, lease_until__lt=now):
        if post.zalo_token and not post.external_id:
            fields = {"state": OutboxState.PENDING, "next_attempt_at": now}
        else:
            fields = {
                "state": OutboxState.UNKNOWN, "unknown_since": post.unknown_since or now, "next_attempt_at": now,
                "error": _("Tiến trình gửi dừng giữa chừng; đang đối chiếu với bài trên kênh."),
            }
        n += OutboxPost.objects.filter(pk=post.pk, state=OutboxState.SENDING, lease_until__lt=now).update(
            lease_holder="", lease_until=None, **fields,
        )
    return n


def _match(url_a: str, url_b: str) -> bool:
    return bool(url_a) and url_a.rstrip("/") == (url_b or "").rstrip("/")


def _find_on_channel(post, channel) -> tuple[str, str] | None:
    if post.channel_kind == ChannelKind.FACEBOOK:
        for entry in FacebookClient(channel.account_id, channel.access_token).feed_recent():
            if _match(post.canonical_url, entry.get("link", "")):
                return entry["id"], entry.get("permalink_url") or FacebookClient.permalink(entry["id"])
        return None
    title, _summary = _item_text(post)
    for entry in _zalo_call(channel, lambda c: c.article_list()):
        if entry.get("title") != title[:150]:
            continue
        detail = _zalo_call(channel, lambda c, i=entry["id"]: c.article_detail(i))
        texts = [b.get("content", "") for b in detail.get("body") or []] + [detail.get("description", "")]
        if any(post.canonical_url.rstrip("/") in (t or "") for t in texts):
            return entry["id"], _zalo_article_url(entry["id"])
    return None


def outbox_reconcile(post_id: int, *, worker: str | None = None, force: bool = False, final: bool = True) -> str:
    """Settle an unknown row by looking for the post on the channel. Not
    found after the settling time, the row fails (``final``) for the board to
    decide; it is never posted again automatically."""
    worker = worker or worker_id()
    post = _claim(post_id, worker, states=(OutboxState.UNKNOWN,), due=not force)
    if post is None:
        return ""
    OutboxPost.objects.filter(pk=post.pk).update(attempts=F("attempts") - 1)
    channel = Channel.objects.filter(portal_id=post.portal_id, kind=post.channel_kind).first()
    back = {"state": OutboxState.UNKNOWN, "lease_holder": "", "lease_until": None,
            "next_attempt_at": timezone.now() + dt.timedelta(seconds=RECONCILE_EVERY_SECONDS)}
    if channel is None or channel.missing_credentials():
        _log(post, "reconcile", "unavailable", message=_("Không có thông tin kênh để đối chiếu."), worker=worker)
        _set(post, **back)
        return OutboxState.UNKNOWN
    try:
        if post.channel_kind == ChannelKind.ZALO:
            channel = _zalo_fresh(channel)
        found = _find_on_channel(post, channel)
    except ChannelError as exc:
        _log(post, "reconcile", "error", exc=exc, worker=worker)
        _set(post, **back)
        return OutboxState.UNKNOWN
    if found:
        external_id, external_url = found
        _log(post, "reconcile", "found", message=external_id, worker=worker)
        if not _record_created(post, channel_kind=post.channel_kind, external_id=external_id,
                               external_url=external_url):
            return ""
        if post.channel_kind == ChannelKind.ZALO and not post.zalo_token:
            # the worker stopped before it saw the article: it never broadcast it
            _zalo_broadcast(post, channel, external_id, worker)
        return OutboxState.SENT
    _log(post, "reconcile", "not_found", worker=worker)
    if not final:
        _set(post, **back)
        return ABSENT
    waited = (timezone.now() - (post.unknown_since or timezone.now())).total_seconds()
    if waited >= _settle_seconds():
        return _fail(post, _(
            "Không tìm thấy bài trên kênh sau %(m)s phút chờ đối chiếu; để tránh đăng trùng, hệ thống "
            "không tự đăng lại. Kiểm tra trên kênh rồi bấm “Thử lại” nếu bài chưa có."
        ) % {"m": round(waited / 60)})
    _set(post, **back)
    return OutboxState.UNKNOWN


def outbox_retry(*, post: OutboxPost, actor=None) -> str:
    """The board's retry of a failed or unknown row. A row that may have been
    posted is first looked for on the channel."""
    if post.state not in (OutboxState.FAILED, OutboxState.UNKNOWN):
        return post.state
    if post.unknown_since:
        OutboxPost.objects.filter(pk=post.pk).update(state=OutboxState.UNKNOWN)
        state = outbox_reconcile(post.pk, force=True, final=False)
        if state != ABSENT:  # found (sent), or the channel could not be listed: not posted again
            post.refresh_from_db()
            return post.state
    OutboxPost.objects.filter(pk=post.pk, state__in=[OutboxState.FAILED, OutboxState.UNKNOWN]).update(
        state=OutboxState.PENDING, next_attempt_at=timezone.now(), attempts=0, unknown_since=None, error="",
    )
    post.refresh_from_db()
    _log(post, "retry", "requested", message=_("Thử lại theo yêu cầu."), actor=actor)
    _enqueue_after_commit([post])
    return post.state


def outbox_drain(*, worker: str | None = None, max_seconds: float = 25.0, limit: int = 1000) -> dict:
    """Work off what is due: recover dead workers' rows, deliver pending rows,
    reconcile unknown ones. Several workers may drain at once."""
    worker = worker or worker_id()
    started = time.monotonic()
    counts = {"recovered": outbox_recover(), "delivered": 0, "reconciled": 0}
    done = 0
    cursor = 0
    while done < limit and time.monotonic() - started < max_seconds:
        now = timezone.now()
        batch = list(
            OutboxPost.objects.filter(
                state__in=[OutboxState.PENDING, OutboxState.UNKNOWN], next_attempt_at__lte=now, pk__gt=cursor,
            ).order_by("pk").values_list("pk", "state")[:50]
        )
        if not batch:
            break
        for pk, state in batch:
            cursor = pk
            done += 1
            if state == OutboxState.PENDING:
                counts["delivered"] += bool(outbox_deliver(pk, worker=worker))
            else:
                counts["reconciled"] += bool(outbox_reconcile(pk, worker=worker))
            if done >= limit or time.monotonic() - started >= max_seconds:
                break
    return counts
