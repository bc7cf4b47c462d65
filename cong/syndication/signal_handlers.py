"""Outbox rows written by Wagtail's publish and unpublish signals.

``page_published`` is sent by ``PublishPageRevisionAction._after_publish``,
after the page row is saved and before the action returns. Wagtail 8.0 does
not wrap the publish action itself in a transaction: publishing through a
workflow approval (``TaskState.approve``, ``@transaction.atomic``) or inside a
caller's ``atomic()`` writes the page and the outbox rows together; the
editor's direct "Publish" button runs in autocommit, where
``services.outbox_sweep`` (a periodic job) re-creates any row a crash between
the two writes lost, under the same idempotency key.
"""

from django.db import transaction
from wagtail.signals import page_published, page_unpublished


def _published(sender, instance, revision=None, **kwargs):
    from cong.content.models import ItemPage

    from .services import outbox_on_publish

    if not isinstance(instance, ItemPage) or getattr(instance, "_imported", False):
        return
    if not instance.live:  # a revision approved for a future go-live time: spread when it goes live
        return
    with transaction.atomic():
        outbox_on_publish(item=instance, revision=revision or instance.live_revision)


def _unpublished(sender, instance, **kwargs):
    from cong.content.models import ItemPage

    from .services import outbox_on_unpublish

    if not isinstance(instance, ItemPage):
        return
    with transaction.atomic():
        outbox_on_unpublish(item=instance)


def register():
    page_published.connect(_published, dispatch_uid="syndication-published")
    page_unpublished.connect(_unpublished, dispatch_uid="syndication-unpublished")
