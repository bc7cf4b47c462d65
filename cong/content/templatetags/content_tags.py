from urllib.parse import quote

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def share_links(context, page):
    """Plain share links (no third-party script): [(network, url)]."""
    request = context.get("request")
    url = page.get_full_url(request) or ""
    return [(name, pattern.format(url=quote(url, safe=""))) for name, pattern in settings.CONG_SHARE_LINKS.items()]


@register.filter
def youtube_embed(url):
    from ..embeds import youtube_embed_url

    return youtube_embed_url(url)
