"""Reads of the portal's pages: menus, lists, site maps."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from wagtail.models import Page, Site

from .models import ArticlePage, HomePage

MENU_VERSION_KEY = "content:menu-version"


def _menu_version() -> int:
    version = cache.get(MENU_VERSION_KEY)
    if version is None:
        version = 1
        cache.set(MENU_VERSION_KEY, version, None)
    return version


def menu_cache_clear() -> None:
    """Invalidate every portal's cached menu and site map (on any tree change)."""
    try:
        cache.incr(MENU_VERSION_KEY)
    except ValueError:
        cache.set(MENU_VERSION_KEY, 2, None)


def menu_items(site: Site) -> list[dict]:
    """Top menu of a portal: the home page's live children shown in menus."""
    key = f"content:menu:{site.pk}:{_menu_version()}"
    items = cache.get(key)
    if items is None:
        root = site.root_page
        items = [
            {"title": p.title, "url": p.get_url(), "id": p.pk, "path": p.path}
            for p in root.get_children().live().public().in_menu().only(
                "id", "title", "url_path", "path", "depth"
            )
        ]
        cache.set(key, items, 3600)
    return items


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
    key = f"content:sitemap:{home.pk}:{_menu_version()}"
    tree = cache.get(key)
    if tree is not None:
        return tree
    pages = (
        Page.objects.live().public().descendant_of(home)
        .filter(depth__lte=home.depth + max_depth)
        .exclude(content_type__model__in=["articlepage"])
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
    nodes: dict[str, dict] = {}
    tree = []
    for page in pages:
        node = {"title": page.title, "url": page.get_url(), "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else tree).append(node)
    cache.set(key, tree, 3600)
    return tree


def portal_home(site: Site) -> HomePage | None:
    return HomePage.objects.filter(pk=site.root_page_id).first()
