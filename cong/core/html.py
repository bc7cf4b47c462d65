"""HTML that reaches a page is sanitised here (nh3, an allowlist).

Scripts, styles, event handlers, ``javascript:`` and ``data:`` links never
survive, whatever an editor, an import or a form puts in.
"""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li",
    "a", "h2", "h3", "h4", "h5", "blockquote", "hr", "table", "thead", "tbody",
    "tfoot", "tr", "th", "td", "caption", "figure", "figcaption", "img", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Images load only from the portal itself: an imported page must not
    # pull assets from the old portal's host (or any other).
    if element == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop everything that can run or load code."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_filter_attribute,
        strip_comments=True,
    )


def text_only(value: str) -> str:
    """Plain text from anything: tags and their scripts removed, entities
    decoded ("TT&amp;TT" -> "TT&TT"). Escape it when you put it in HTML."""
    if not value:
        return ""
    return html.unescape(nh3.clean(value, tags=set(), attributes={})).strip()
