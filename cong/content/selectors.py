"""Reads of the portal's pages: menus, lists, site maps."""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.models import Page, Site

from cong.core import cache_version
from cong.core.cache_version import LocalCache

from .models import ArticlePage, HomePage

_CACHE = LocalCache(2048)


def _version() -> int:
    return cache_version.current(cache_version.CONTENT)


def content_changed() -> None:
    """Invalidate every process's menus, lists and site maps (on any publish)."""
    cache_version.bump(cache_version.CONTENT)


def menu_items(site: Site) -> list[dict]:
    """Top menu of a portal: the home page's live children shown in menus."""

    def compute():
        root = Page.objects.get(pk=site.root_page_id)
        return [
            {"title": p.title, "url": p.url_path[len(root.url_path) - 1:], "id": p.pk, "path": p.path}
            for p in root.get_children().live().public().in_menu().only(
                "id", "title", "url_path", "path", "depth"
            )
        ]

    return _CACHE.get_or_set(("menu", site.pk), _version(), compute)


def items_latest_cards(*, root: Page, limit: int = 10) -> list[dict]:
    """The newest published articles under ``root`` as plain data for cards."""

    def compute():
        return [_card(item, root) for item in items_latest(root=root, limit=limit)]

    return _CACHE.get_or_set(("latest", root.pk, limit), _version(), compute)


def _card(item, root) -> dict:
    image = None
    if item.featured_image_id:
        rendition = item.featured_image.get_rendition("fill-360x220")
        image = {"url": rendition.url, "width": rendition.width, "height": rendition.height,
                 "alt": item.featured_image.default_alt_text}
    return {
        "title": item.title,
        "url": item.url_path[len(root.url_path) - 1:],
        "published_at": item.first_published_at,
        "category": item.category.name if item.category_id else "",
        "summary": item.summary,
        "image": image,
    }


def items_latest(*, root: Page, limit: int = 10) -> QuerySet[ArticlePage]:
    """The newest published articles under ``root`` (a portal's home page)."""
    return (
        ArticlePage.objects.live().public().descendant_of(root)
        .select_related("featured_image", "category")
        .order_by("-first_published_at")[:limit]
    )


def items_in_section(*, section: Page) -> QuerySet[ArticlePage]:
    return (
        ArticlePage.objects.live().public().descendant_of(section)
        .select_related("featured_image", "category")
        .order_by("-first_published_at")
    )


def sitemap_tree(home: Page, max_depth: int = 3) -> list[dict]:
    """Nested live pages under ``home`` down to ``max_depth`` levels, without items."""
    return _CACHE.get_or_set(("sitemap", home.pk, max_depth), _version(), lambda: _sitemap(home, max_depth))


def _sitemap(home: Page, max_depth: int) -> list[dict]:
    pages = (
        Page.objects.live().public().descendant_of(home)
        .filter(depth__lte=home.depth + max_depth)
        .exclude(content_type__model__in=["articlepage"])
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
    nodes: dict[str, dict] = {}
    tree: list[dict] = []
    for page in pages:
        node = {"title": page.title, "url": page.url_path[len(home.url_path) - 1:], "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else tree).append(node)
    return tree


def portal_home(site: Site) -> HomePage | None:
    return HomePage.objects.filter(pk=site.root_page_id).first()
