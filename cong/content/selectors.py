"""Reads of the portal's pages: menus, lists, search, counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, Site

from cong.core import cache_version
from cong.core.cache_version import LocalCache

from . import search as vsearch
from .choices import BannerPlacement
from .models import BannerPage, Category, HomePage, ItemPage
from .routing import restricted_paths

_CACHE = LocalCache(2048)
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _version() -> int:
    return cache_version.current(cache_version.CONTENT)


def content_changed() -> None:
    """Invalidate every process's menus, lists and site maps (on any publish)."""
    cache_version.bump(cache_version.CONTENT)


def public(queryset: QuerySet) -> QuerySet:
    """Wagtail's ``.public()`` (pages outside private sections) without its
    query for the restrictions on every call: the restricted pages come from
    a process-local list kept by the ``content`` cache version."""
    for path in restricted_paths():
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def category_choices() -> list[tuple[str, str]]:
    """(slug, name) of every category, in order; cached until content changes
    (a category's save bumps the ``content`` version)."""
    return _CACHE.get_or_set(
        ("categories",), _version(), lambda: list(Category.objects.values_list("slug", "name")),
    )


def subsections(section: Page) -> list[Page]:
    """Live, public children of a section shown in menus (title and URL only)."""

    def compute():
        return list(public(section.get_children().live().in_menu()).only(
            "id", "title", "url_path", "path", "depth", "locale_id",
        ))

    return _CACHE.get_or_set(("subsections", section.pk), _version(), compute)


def _relative(page_url_path: str, root_url_path: str) -> str:
    return page_url_path[len(root_url_path) - 1:]


def menu_items(site: Site) -> list[dict]:
    """Top menu of a portal: the home page's live children shown in menus."""

    def compute():
        root = Page.objects.get(pk=site.root_page_id)
        return [
            {"title": p.title, "url": _relative(p.url_path, root.url_path), "id": p.pk, "path": p.path}
            for p in public(root.get_children().live().in_menu()).only(
                "id", "title", "url_path", "path", "depth"
            )
        ]

    return _CACHE.get_or_set(("menu", site.pk), _version(), compute)


# --- Lists ------------------------------------------------------------------


def items_published(*, root: Page | None = None) -> QuerySet[ItemPage]:
    """Live, public items (banners excluded), newest first, under ``root``."""
    qs = (
        public(ItemPage.objects.live()).exclude(item_type="banner")
        .select_related("category", "featured_image")
        .order_by("-first_published_at", "-pk")
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path, depth__gt=root.depth)
    return qs


def items_in_section(
    *, section: Page, item_type: str | None = None, category: str | None = None,
    date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet[ItemPage]:
    qs = items_published(root=section)
    if item_type:
        qs = qs.filter(item_type=item_type)
    if category:
        qs = qs.filter(category__slug=category)
    start, end = _bounds(date_from, date_to)
    if start:
        qs = qs.filter(first_published_at__gte=start)
    if end:
        qs = qs.filter(first_published_at__lt=end)
    return qs


def card(item: ItemPage, root_url_path: str) -> dict:
    image = None
    if item.featured_image_id:
        rendition = item.featured_image.get_rendition("fill-360x220")
        image = {"url": rendition.url, "width": rendition.width, "height": rendition.height,
                 "alt": item.featured_image.default_alt_text}
    return {
        "title": item.title,
        "url": _relative(item.url_path, root_url_path),
        "published_at": item.first_published_at,
        "category": item.category.name if item.category_id else "",
        "item_type": item.get_item_type_display(),
        "summary": item.summary,
        "image": image,
    }


def items_latest_cards(*, root: Page, limit: int = 10) -> list[dict]:
    """The newest items under ``root`` (a portal's home page) as card data."""

    def compute():
        return [card(item, root.url_path) for item in items_published(root=root)[:limit]]

    return _CACHE.get_or_set(("latest", root.pk, limit), _version(), compute)


def items_related(*, item: ItemPage, limit: int = 5) -> list[dict]:
    """Items of the same portal sharing the item's topics, then its category."""

    def compute():
        home = item.get_ancestors().filter(depth=2).first()
        if home is None:
            return []
        base = items_published(root=home).exclude(pk=item.pk)
        topic_ids = list(item.topics.values_list("pk", flat=True))
        picked: list[ItemPage] = []
        if topic_ids:
            picked = list(
                base.filter(tagged_items__tag_id__in=topic_ids).distinct()[:limit]
            )
        if len(picked) < limit:
            more = base.filter(category_id=item.category_id).exclude(pk__in=[p.pk for p in picked])
            picked += list(more[: limit - len(picked)])
        return [card(p, home.url_path) for p in picked]

    return _CACHE.get_or_set(("related", item.pk, limit), _version(), compute)


def banners_active(*, home: Page, placement: str = BannerPlacement.HOME_TOP,
                   now: dt.datetime | None = None) -> list[BannerPage]:
    """Banners of a portal shown now at ``placement`` (their display window)."""
    now = now or timezone.now()
    return list(
        BannerPage.objects.live().filter(
            path__startswith=home.path, placement=placement, display_from__lte=now,
        ).filter(Q(display_until__isnull=True) | Q(display_until__gt=now))
        .select_related("featured_image", "link_page").order_by("-display_from")[:5]
    )


def sitemap_tree(home: Page, max_depth: int = 3) -> list[dict]:
    """Nested live pages under ``home`` down to ``max_depth`` levels, without items."""
    return _CACHE.get_or_set(("sitemap", home.pk, max_depth), _version(), lambda: _sitemap(home, max_depth))


def _sitemap(home: Page, max_depth: int) -> list[dict]:
    item_ids = ItemPage.objects.filter(path__startswith=home.path).values("pk")
    pages = (
        public(Page.objects.live()).descendant_of(home)
        .filter(depth__lte=home.depth + max_depth)
        .exclude(pk__in=item_ids)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
    nodes: dict[str, dict] = {}
    tree: list[dict] = []
    for page in pages:
        node = {"title": page.title, "url": _relative(page.url_path, home.url_path), "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else tree).append(node)
    return tree


def portal_home(site: Site) -> HomePage | None:
    return HomePage.objects.filter(pk=site.root_page_id).first()


# --- Search -------------------------------------------------------------------


def items_search(
    query: str, *, roots: list[Page] | None = None, item_type: str | None = None,
    category: str | None = None, date_from: dt.date | None = None,
    date_to: dt.date | None = None, limit: int = 200,
) -> list[ItemPage]:
    """Items matching ``query`` (Vietnamese, with or without diacritics).

    ``roots`` limits the search to some portals (None: the whole network).
    Items containing the query's exact (accented) words come first.
    """
    parsed = vsearch.parse(query)
    expression = parsed.expression()
    if expression is None:
        return []
    qs = public(ItemPage.objects.live()).exclude(item_type="banner")
    if roots:
        cond = Q()
        for root in roots:
            cond |= Q(path__startswith=root.path)
        qs = qs.filter(cond)
    if item_type:
        qs = qs.filter(item_type=item_type)
    if category:
        # search backends filter on indexed columns: the category's id
        qs = qs.filter(category_id__in=list(Category.objects.filter(slug=category).values_list("pk", flat=True)))
    start, end = _bounds(date_from, date_to)
    if start:
        qs = qs.filter(first_published_at__gte=start)
    if end:
        qs = qs.filter(first_published_at__lt=end)
    # The database backends rank by relevance with a correlated sub-query per
    # match, which is slow on a province's history; take the newest matches
    # (one full-text query) and rank them here instead.
    results = _postgres_newest_matches(qs, expression, limit)
    if results is None:
        results = list(qs.order_by("-first_published_at").search(expression, order_by_relevance=False)[:limit])
    exact = parsed.exact_terms()
    folded_terms = vsearch.fold(" ".join([*parsed.phrases, parsed.words])).split()

    def rank(pair):
        position, item = pair
        title = item.title
        in_title = sum(1 for t in folded_terms if t in vsearch.fold(title))
        return (-vsearch.exact_score(f"{title} {item.summary}", exact) if exact else 0, -in_title, position)

    return [item for _, item in sorted(enumerate(results), key=rank)]


# Items without a publication date (none, in practice) come after dated ones.
_NEWEST_FIRST = F("first_published_at").desc(nulls_last=True)


def recent_window(limit: int) -> int:
    """How far back the first, bounded pass of a PostgreSQL search looks: the
    newest this many live pages (whatever their portal or type) — enough to
    hold ``limit`` matches of any phrase found in 2 % of the items."""
    return min(max(limit * 50, 1000), 10000)


def _recent_bound(window: int):
    """The publication time of the ``window``-th newest live page, or None
    when there are fewer; cached until content changes."""

    def compute():
        rows = (
            Page.objects.filter(live=True, first_published_at__isnull=False)
            .order_by("-first_published_at").values_list("first_published_at", flat=True)
            [window - 1:window]
        )
        return next(iter(rows), None)

    return _CACHE.get_or_set(("recent-bound", window), _version(), compute)


def _postgres_newest_matches(qs: QuerySet, expression, limit: int) -> list[ItemPage] | None:
    """The newest ``limit`` items of ``qs`` matching ``expression`` on
    PostgreSQL's database search backend (None elsewhere: the backend's own
    query is used).

    Wagtail's query takes every match through the GIN index, joins each with
    its page and sorts them by date: its cost grows with the number of
    matches (tens of thousands for a common phrase on a province's history),
    and PostgreSQL cannot estimate Vietnamese syllables, which always come
    together, well enough to do better. A search wants the newest matches,
    so the first pass walks the newest pages by date (``recent_window``
    of them at most) and tests each one's index entry
    through its unique (content type, object id) key, stopping at ``limit``
    matches — a common phrase needs a few hundred tests. Only when the
    recent pages hold fewer matches, so the words are rare, does a second
    pass ask the GIN index for the older matches. The text search query is
    the backend's own (same configuration, same operators)."""
    from django.db import connection
    from django.db.models import CharField, Exists, Func, OuterRef
    from django.db.models.functions import Cast
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.postgres.postgres import (
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
    )
    from wagtail.search.models import IndexEntry

    if connection.vendor != "postgresql" or limit <= 0:
        return None
    backend = get_search_backend()
    if not isinstance(backend, PostgresSearchBackend):
        return None
    bound = _recent_bound(recent_window(limit))
    tsquery = PostgresSearchQueryCompiler(qs, expression).build_tsquery(expression, config=backend.config)
    # ts_match_vq is the function behind @@: written as a call, the planner
    # tests each recent page's entry instead of scanning every GIN match.
    match = Func(
        Func(F("title"), F("body"), function="", arg_joiner=" || "), tsquery,
        function="ts_match_vq", output_field=models.BooleanField(),
    )
    entry = IndexEntry.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
    ).filter(match)
    if bound is None:  # fewer live pages than the window: one pass over all of them
        return list(qs.filter(Exists(entry)).order_by(_NEWEST_FIRST, "-pk")[:limit])
    recent = list(
        qs.filter(first_published_at__gte=bound).filter(Exists(entry))
        .order_by("-first_published_at", "-pk")[:limit]
    )
    if len(recent) >= limit:
        return recent
    older = (
        qs.filter(Q(first_published_at__lt=bound) | Q(first_published_at__isnull=True))
        .order_by(_NEWEST_FIRST).search(expression, order_by_relevance=False)[: limit - len(recent)]
    )
    return recent + list(older)


# --- Counts for reports and dashboards -----------------------------------------


def _bounds(date_from: dt.date | None, date_to: dt.date | None):
    start = dt.datetime.combine(date_from, dt.time.min, LOCAL_TZ) if date_from else None
    end = (
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, LOCAL_TZ)
        if date_to else None
    )
    return start, end


def _items_of_unit(unit) -> QuerySet[ItemPage]:
    portal = getattr(unit, "portal", None)
    if portal is None:
        return ItemPage.objects.none()
    root = Page.objects.only("path", "depth").get(pk=portal.site.root_page_id)
    return ItemPage.objects.filter(path__startswith=root.path, depth__gt=root.depth)


def items_counts(*, unit, start: dt.date, end: dt.date) -> dict:
    """Information items a unit's portal published in [start, end] (local dates):
    total, by type, by category slug and by topic.

    An item counts once, in the period of its first publication; drafts never
    published do not count; later unpublishing does not remove it.
    """
    lo, hi = _bounds(start, end)
    qs = _items_of_unit(unit).filter(
        first_published_at__gte=lo, first_published_at__lt=hi,
    )
    by_type = dict(qs.values_list("item_type").annotate(n=Count("pk")).order_by())
    by_category = dict(qs.values_list("category__slug").annotate(n=Count("pk")).order_by())
    by_topic = Counter(
        dict(qs.values_list("tagged_items__tag__name").annotate(n=Count("pk")).order_by())
    )
    by_topic.pop(None, None)
    return {
        "total": sum(by_type.values()),
        "by_type": by_type,
        "by_category": by_category,
        "by_topic": dict(by_topic),
    }
