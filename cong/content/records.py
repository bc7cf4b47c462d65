"""Record kinds owned by content: ``content`` (see docs/import-format.md).

An imported item becomes a published page of its type in its portal's
section for that type and category, keeps its first publication time, and
its old address (``url``) answers with a permanent redirect.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from cong.core.html import sanitize_html, text_only
from cong.core.records import F, RecordError, RecordKind, register

from .embeds import youtube_embed_url
from .models import (
    ArticlePage,
    BannerPage,
    Category,
    DocumentPage,
    InfographicPage,
    ItemPage,
    VideoPage,
)
from .search import fold
from .services import item_legacy_redirect_set

_YOUTUBE = re.compile(r"https://(?:www\.)?(?:youtube\.com/(?:watch\?v=|embed/)|youtu\.be/)[A-Za-z0-9_-]{6,20}")
IMPORT_TYPES = ("article", "document", "video", "infographic", "banner")
MODEL_FOR_TYPE = {
    "article": ArticlePage, "document": DocumentPage, "video": VideoPage,
    "infographic": InfographicPage, "banner": BannerPage,
}
SECTION_FOR_TYPE = {"document": "van-ban", "video": "video", "infographic": "infographic", "banner": "banner"}
SECTION_FOR_CATEGORY = {
    "chi-dao-dieu-hanh": "chi-dao-dieu-hanh",
    "pho-bien-phap-luat": "pho-bien-phap-luat",
    "chien-luoc-quy-hoach": "chien-luoc-quy-hoach-ke-hoach",
}
DEFAULT_SECTION = "tin-tuc-su-kien"


def section_for(home: Page, item_type: str, category: str, children: dict | None = None) -> Page:
    """The section of a portal an item of this type and category goes to."""
    wanted = SECTION_FOR_TYPE.get(item_type) or SECTION_FOR_CATEGORY.get(category) or DEFAULT_SECTION
    if children is None:
        children = {p.slug: p for p in home.get_children()}
    section = children.get(wanted) or children.get(DEFAULT_SECTION)
    if section is None:
        raise RecordError("unit", f"cổng {home.title} không có chuyên mục “{wanted}” để đăng tin")
    return section


def _unique_slug(parent: Page, title: str, source_id: str, instance=None) -> str:
    base = (slugify(fold(title)) or "tin")[:60].strip("-") or "tin"
    slug = base
    siblings = parent.get_children().exclude(pk=getattr(instance, "pk", None))
    if siblings.filter(slug=slug).exists():
        slug = f"{base}-{slugify(source_id)[:20]}".strip("-")
    n = 2
    while siblings.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _topics_bulk_set(rows: list[tuple[int, list[str]]]) -> None:
    """Attach topics to newly imported items in a few queries."""
    from taggit.models import Tag

    from .models import ItemTopic

    if not rows:
        return
    names = {name for _, topics in rows for name in topics}
    tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in names - set(tags):
        tags[name], _ = Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)[:100] or name[:100]})
    ItemTopic.objects.bulk_create(
        [ItemTopic(content_object_id=pk, tag=tags[name]) for pk, topics in rows for name in topics]
    )


def _append_child(section: Page, page: Page, ctx) -> None:
    """Add ``page`` as the last child of ``section`` (the work treebeard's
    add_child does, without its queries per page: the import validated the
    record already). Parents' child counts are fixed in ``finish``."""
    tree = ctx.cache.setdefault("tree", {})
    if section.pk not in tree:
        last = section.get_children().order_by("-path").only("path").first()
        tree[section.pk] = [last.path if last else None, 0]
    last_path, added = tree[section.pk]
    if last_path is None:
        path = Page._get_path(section.path, section.depth + 1, 1)
    else:
        path = Page(path=last_path)._inc_path()
    page.path, page.depth, page.numchild = path, section.depth + 1, 0
    page.locale_id = section.locale_id
    page.draft_title = page.title
    page.url_path = f"{section.url_path}{page.slug}/"
    page.save(clean=False)
    tree[section.pk] = [path, added + 1]


@register
class ContentKind(RecordKind):
    kind = "content"
    model = ItemPage
    order = 30
    fields = (
        F("unit", "ref", required=True, ref="unit"),
        F("type", "enum", required=True, choices=IMPORT_TYPES),
        F("title", required=True, max_length=255),
        F("published_at", "datetime", required=True),
        F("category", required=True, max_length=64),
        F("summary", "text"),
        F("body", "text"),
        F("topics", "list", default=[]),
        F("author", max_length=255),
        F("source", max_length=255),
        F("url", max_length=1024),
    )

    def clean(self, data):
        if not data["title"].strip():
            raise RecordError("title", "bắt buộc")
        if data["category"] not in self._categories():
            raise RecordError("category", f"chuyên mục không có trong danh mục: '{data['category']}'")

    _category_memo: tuple[float, dict[str, int]] = (0.0, {})

    def _categories(self) -> dict[str, int]:
        """Category slugs → ids, read at most every few seconds during an import."""
        import time

        stamp, cached = self._category_memo
        if time.monotonic() - stamp > 5:
            cached = dict(Category.objects.values_list("slug", "pk"))
            self._category_memo = (time.monotonic(), cached)
        return cached

    def begin(self, ctx):
        # Search and reference indexing happen once, in bulk, in ``finish``:
        # per-page indexing would cost more than creating the page.
        from django.db.models.signals import post_save
        from modelsearch.signal_handlers import post_save_signal_handler
        from wagtail.signal_handlers import reference_index_auto_update_disabled

        ctx.cache["content_written"] = []
        ctx.cache["content_handlers"] = []
        for model in (ItemPage, *MODEL_FOR_TYPE.values()):
            if post_save.disconnect(post_save_signal_handler, sender=model):
                ctx.cache["content_handlers"].append(model)
        reference_index_auto_update_disabled.value = True

    def finish(self, ctx):
        from django.db.models import F as DbF
        from django.db.models.signals import post_save
        from modelsearch.backends import get_search_backends
        from modelsearch.signal_handlers import post_save_signal_handler
        from wagtail.signal_handlers import reference_index_auto_update_disabled

        from .tasks import items_references_update

        try:
            for section_pk, (_last, added) in ctx.cache.get("tree", {}).items():
                if added:
                    Page.objects.filter(pk=section_pk).update(numchild=DbF("numchild") + added)
            _topics_bulk_set(ctx.cache.get("content_topics", []))
            written = ctx.cache.get("content_written", [])
            by_model: dict[type, list] = {}
            for page in written:
                by_model.setdefault(type(page), []).append(page)
            for backend in get_search_backends(with_auto_update=True):
                for model, pages in by_model.items():
                    backend.add_bulk(model, pages)
            if written:
                ids = [p.pk for p in written]
                transaction.on_commit(lambda: items_references_update.enqueue(page_ids=ids))
        finally:
            for model in ctx.cache.get("content_handlers", []):
                post_save.connect(post_save_signal_handler, sender=model)
            if hasattr(reference_index_auto_update_disabled, "value"):
                del reference_index_auto_update_disabled.value

    def write(self, data, ctx, instance):
        unit = ctx.resolve("unit", data["unit"], field="unit")
        portal = getattr(unit, "portal", None)
        if portal is None:
            raise RecordError("unit", f"đơn vị '{data['unit']}' chưa có cổng thông tin")
        model = MODEL_FOR_TYPE[data["type"]]
        if instance is not None:
            instance = instance.specific
            if not isinstance(instance, model):
                raise RecordError(
                    "type", f"bản ghi đã nhập là {instance.get_item_type_display()}, không đổi loại được"
                )
        categories = self._categories()
        homes = ctx.cache.setdefault("homes", {})
        if portal.pk not in homes:
            home = Page.objects.get(pk=portal.site.root_page_id)
            homes[portal.pk] = (home, {p.slug: p for p in home.get_children()})
        home, children = homes[portal.pk]
        section = section_for(home, data["type"], data["category"], children)
        body_html = sanitize_html(data["body"] or "")
        fields = {
            "title": text_only(data["title"])[:255],
            "summary": text_only(data["summary"] or ""),
            "category_id": categories[data["category"]],
            "author": data["author"] or "",
            "source": data["source"] or "",
            "legacy_url": data["url"] or "",
        }
        if model in (ArticlePage, DocumentPage):
            fields["body"] = [{"type": "paragraph", "value": body_html}] if body_html else []
        elif model is VideoPage:
            fields["transcript"] = text_only(body_html)
            found = _YOUTUBE.search(data["body"] or "")
            if found and youtube_embed_url(found.group(0)):
                fields["external_url"] = found.group(0)
        elif model is InfographicPage:
            fields["long_description"] = body_html or f"<p>{fields['summary'] or fields['title']}</p>"
        elif model is BannerPage:
            fields["text"] = fields["title"]
            fields["display_from"] = data["published_at"]
        page = instance or model(live=True, has_unpublished_changes=False)
        page._imported = True
        for key, value in fields.items():
            setattr(page, key, value)
        page.first_published_at = data["published_at"]
        page.last_published_at = data["published_at"]
        page.live = True
        topics = list(dict.fromkeys(t[:100] for t in data["topics"]))
        if instance is not None:
            page.topics.set(topics)
        if instance is None:
            page.slug = _unique_slug(section, page.title, data["id"])
            _append_child(section, page, ctx)
        elif page.path[: -Page.steplen] != section.path:
            page.slug = _unique_slug(section, page.title, data["id"], page)
            page.save(clean=False)
            page.move(section, pos="last-child")
            page = type(page).objects.get(pk=page.pk)
        else:
            page.save(clean=False)
        if data["url"]:
            item_legacy_redirect_set(item=page, site=portal.site)
        if instance is None and topics:
            ctx.cache.setdefault("content_topics", []).append((page.pk, topics))
        ctx.cache["content_written"].append(page)
        return page
