"""Numbers, durations and dates written the Vietnamese way on Vietnamese pages.

On pages in another language (the English pages under /en/) the same filters
keep the day/month/year order but drop the Vietnamese words and write
thousands with commas, so that an English sentence does not read
"In force on ngày 12/3/2024".
"""

from django import template
from django.utils import translation

from cong.core import vn

register = template.Library()


def _vietnamese():
    return (translation.get_language() or "vi").startswith("vi")


@register.filter
def vn_number(value):
    """{{ 34713393|vn_number }} -> 34.713.393"""
    try:
        return vn.number(value) if _vietnamese() else f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def vn_duration(value):
    """{{ 350|vn_duration }} -> 05 phút 50 giây"""
    try:
        return vn.duration(value) if _vietnamese() else _duration_en(value)
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def vn_date(value):
    """{{ some_date|vn_date }} -> ngày 12/3/2024"""
    if not value:
        return ""
    if hasattr(value, "astimezone"):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    return vn.date(value) if _vietnamese() else f"{value.day}/{value.month}/{value.year}"


def _duration_en(seconds):
    """350 -> '05 min 50 s'; 3725 -> '01 h 02 min 05 s' (same rounding as vn.duration)."""
    return (vn.duration(seconds).replace(" giờ", " h").replace(" phút", " min")
            .replace(" giây", " s"))
