"""Tags for the public templates: the tracker and the visit counter.

Both render the same markup for every visitor, so cached pages stay
cacheable: the figures are filled in by the tracker script from
``/-/a/dem.json``, and readers without script get the pixel and a link to
the figures page."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def analytics_tracker():
    return format_html(
        '<script src="{}" defer></script>'
        '<noscript><img class="visually-hidden" src="{}" alt="" width="1" height="1"></noscript>',
        static("analytics/t.js"), reverse("analytics_pixel"),
    )


@register.inclusion_tag("analytics/counter.html")
def visit_counter():
    return {"definitions_url": reverse("analytics_definitions")}
