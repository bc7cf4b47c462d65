"""RSS 2.0 feeds per portal and per section (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.models import Page

from cong.units.middleware import current_portal

from .selectors import items_published

FEED_SIZE = 30


class _ItemsFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "vi"

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.full_url

    def item_guid(self, item):
        return item.full_url

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.category.name] if item.category_id else []

    def item_author_name(self, item):
        return item.author or None


class PortalFeed(_ItemsFeed):
    def get_object(self, request, *args, **kwargs):
        portal = current_portal(request)
        self.portal = portal
        return Page.objects.get(pk=portal.site.root_page_id) if portal else None

    def title(self, obj):
        return self.portal.unit.name if self.portal else "Cổng"

    def link(self, obj):
        return obj.full_url if obj else "/"

    def description(self, obj):
        return f"Tin mới từ {self.title(obj)}"

    def items(self, obj):
        return list(items_published(root=obj)[:FEED_SIZE]) if obj else []


class SectionFeed(_ItemsFeed):
    def __init__(self, section):
        super().__init__()
        self.section = section

    def get_object(self, request, *args, **kwargs):
        return self.section

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.full_url

    def description(self, obj):
        return f"{obj.title} – tin mới"

    def items(self, obj):
        return list(items_published(root=obj)[:FEED_SIZE])
