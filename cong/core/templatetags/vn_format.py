from django import template

from cong.core import vn

register = template.Library()


@register.filter
def vn_number(value):
    """{{ 34713393|vn_number }} -> 34.713.393"""
    try:
        return vn.number(value)
    except (TypeError, ValueError):
        return value


@register.filter
def vn_duration(value):
    """{{ 350|vn_duration }} -> 05 phút 50 giây"""
    try:
        return vn.duration(value)
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
    return vn.date(value)
