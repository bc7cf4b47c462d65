"""Adapters from Wagtail's page signals to content services."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from .selectors import content_changed


def _changed(**kwargs):
    content_changed()


def _published(sender, instance, **kwargs):
    from .models import ItemPage
    from .services import item_legacy_redirect_set

    content_changed()
    if isinstance(instance, ItemPage) and instance.legacy_url:
        site = instance.get_site()
        if site is not None:
            item_legacy_redirect_set(item=instance, site=site)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        content_changed()


def register():
    page_published.connect(_published, dispatch_uid="content-published")
    page_unpublished.connect(_changed, dispatch_uid="content-unpublished")
    post_page_move.connect(_changed, dispatch_uid="content-moved")
    post_delete.connect(_deleted, dispatch_uid="content-deleted")
