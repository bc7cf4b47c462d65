from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ row|get_item:key }} for dict lookups with a variable key."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None
