"""Adapters from Wagtail's page signals to content services."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from .selectors import content_changed


def _changed(sender=None, instance=None, **kwargs):
    from cong.core.page_cache import purge_for_page

    content_changed()
    if instance is not None:
        purge_for_page(instance)


def _published(sender, instance, **kwargs):
    from cong.core.page_cache import purge_for_page

    from .models import ItemPage
    from .services import item_legacy_redirect_set

    content_changed()
    purge_for_page(instance)
    if isinstance(instance, ItemPage) and instance.legacy_url:
        site = instance.get_site()
        if site is not None:
            item_legacy_redirect_set(item=instance, site=site)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    from cong.core.page_cache import purge_all

    if isinstance(instance, Page):
        content_changed()
        purge_all()


def _restriction_changed(sender, instance, **kwargs):
    """A private section added, changed or removed: public lists and the
    routing's list of restricted pages (content.routing) follow at once."""
    from cong.core.page_cache import purge_all

    content_changed()
    purge_all()


def _category_changed(sender, **kwargs):
    """Filter forms list the categories from a cache kept by the content version."""
    content_changed()


def _media_changed(sender, instance, created=False, **kwargs):
    """An image's alt text or a document's title changed (or the file went):
    pages that show it keep their cached body fragments and proxy-cached
    copies by the content version, so both follow at once. A new upload
    shows on no page yet and changes nothing."""
    from cong.core.page_cache import purge_all

    if created:
        return
    content_changed()
    purge_all()


def register():
    from django.db.models.signals import post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction

    from .models import Category

    post_save.connect(_category_changed, sender=Category, dispatch_uid="content-category-saved")
    post_delete.connect(_category_changed, sender=Category, dispatch_uid="content-category-deleted")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="content-restriction-saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="content-restriction-deleted")
    for model in (get_image_model(), get_document_model()):
        label = model._meta.label_lower
        post_save.connect(_media_changed, sender=model, dispatch_uid=f"content-media-saved-{label}")
        post_delete.connect(_media_changed, sender=model, dispatch_uid=f"content-media-deleted-{label}")
    page_published.connect(_published, dispatch_uid="content-published")
    page_unpublished.connect(_changed, dispatch_uid="content-unpublished")
    post_page_move.connect(_changed, dispatch_uid="content-moved")
    post_delete.connect(_deleted, dispatch_uid="content-deleted")
