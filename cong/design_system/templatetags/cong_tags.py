from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cong.content.selectors import menu_items

register = template.Library()


@register.inclusion_tag("design_system/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    page = context.get("page") or context.get("self")
    current_path = getattr(page, "path", "")
    items = menu_items(site) if site else []
    return {
        "items": [
            {**item, "active": bool(current_path) and current_path.startswith(item["path"])}
            for item in items
        ],
        "home_url": "/",
        "is_home": page is not None and site is not None and page.pk == site.root_page_id,
    }


@register.inclusion_tag("design_system/includes/breadcrumb.html", takes_context=True)
def breadcrumb(context):
    page = context.get("page") or context.get("self")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"crumbs": []}
    routed = getattr(page, "_cong_route_ancestors", None)  # found while routing (content.routing)
    if routed and routed[0]["depth"] == 2:
        ancestors = [
            Page(id=row["id"], title=row["title"], url_path=row["url_path"], depth=row["depth"], path=row["path"])
            for row in routed
        ]
    else:
        ancestors = page.get_ancestors().filter(depth__gte=2).only("id", "title", "url_path", "depth")
    crumbs = [{"title": a.title, "url": a.get_url(context.get("request"))} for a in ancestors]
    if crumbs:
        crumbs[0]["title"] = _("Trang chủ")
    return {"crumbs": crumbs, "current": page.title}


@register.simple_tag(takes_context=True)
def emc_script(context):
    """The portal's EMC monitoring script, allowed through CSP for this response."""
    request = context.get("request")
    settings_obj = context.get("settings")
    if request is None or settings_obj is None:
        return ""
    portal_settings = settings_obj["units"]["PortalSettings"]
    emc = portal_settings.emc
    if emc is None:
        return ""
    update = getattr(request, "csp_update", None) or {}
    update.setdefault("script-src", []).append(emc.origin)
    update.setdefault("connect-src", []).append(emc.origin)
    update.setdefault("img-src", []).append(emc.origin)
    request.csp_update = update
    attrs = format_html_join(" ", '{}="{}"', emc.attrs)
    return format_html('<script src="{}" {} async></script>', emc.src, attrs)
