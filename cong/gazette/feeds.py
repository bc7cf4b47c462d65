"""RSS 2.0 feeds of a portal's gazette: new documents and new issues."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cong.units.middleware import current_portal

from .selectors import documents_newest, issues_list

FEED_SIZE = 30


def _midday(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class DocumentsFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "vi"

    def get_object(self, request, *args, **kwargs):
        return current_portal(request)

    def title(self, portal):
        return _("Văn bản mới – %(name)s") % {"name": portal.unit.name if portal else _("Cổng")}

    def link(self, portal):
        return reverse("gazette:register")

    def description(self, portal):
        return _("Văn bản mới đăng trên cổng thông tin.")

    def items(self, portal):
        return documents_newest(portal_id=portal.pk if portal else None, limit=FEED_SIZE)

    def item_title(self, doc):
        return f"{doc.number} – {doc.summary[:120]}"

    def item_description(self, doc):
        return f"{doc.doc_type}, {doc.issuer_name}"

    def item_link(self, doc):
        return reverse("gazette:document", args=[doc.pk])

    def item_pubdate(self, doc):
        return doc.posted_at or _midday(doc.issued_on)

    def item_categories(self, doc):
        return [doc.doc_type] + ([doc.field] if doc.field else [])


class IssuesFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "vi"

    def get_object(self, request, *args, **kwargs):
        return current_portal(request)

    def title(self, portal):
        return _("Công báo – %(name)s") % {"name": portal.unit.name if portal else _("Cổng")}

    def link(self, portal):
        return reverse("gazette:issues")

    def description(self, portal):
        return _("Các số công báo mới phát hành.")

    def items(self, portal):
        return issues_list(portal_id=portal.pk if portal else None, limit=FEED_SIZE)

    def item_title(self, issue):
        return str(issue)

    def item_description(self, issue):
        n = issue.documents_count
        return ngettext("%(n)s văn bản", "%(n)s văn bản", n) % {"n": n}

    def item_link(self, issue):
        return reverse("gazette:issue", args=[issue.year, issue.number])

    def item_pubdate(self, issue):
        return _midday(issue.published_on)
