from wagtail.signals import page_published, page_unpublished, post_page_move

from .selectors import content_changed


def _clear(**kwargs):
    content_changed()


def register():
    page_published.connect(_clear, dispatch_uid="content-menu-published")
    page_unpublished.connect(_clear, dispatch_uid="content-menu-unpublished")
    post_page_move.connect(_clear, dispatch_uid="content-menu-moved")
    register_delete()


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        content_changed()


def register_delete():
    from django.db.models.signals import post_delete

    post_delete.connect(_deleted, dispatch_uid="content-menu-deleted")
