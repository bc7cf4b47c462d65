"""Wagtail admin widgets without inline script.

Wagtail's chooser widgets (image, document, page, snippet, task) end their
HTML with ``<script>new ImageChooser("id", {...});</script>``, which Cổng's
Content-Security-Policy (no inline script) refuses. ``install()`` replaces
that script by a hidden element carrying the constructor, the element id and
the options; ``design_system/js/admin-csp.js`` constructs the widget from it.
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

_original_render = None


def _render(self, name, value, attrs=None, renderer=None):
    from wagtail.admin.widgets.chooser import BaseChooser

    if type(self).render_js_init is not BaseChooser.render_js_init:
        # A widget with its own initialiser (the workflow task chooser, for
        # superusers only) keeps Wagtail's rendering.
        return _original_render(self, name, value, attrs, renderer)
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    marker = format_html(
        '<span hidden data-cong-chooser="{}" data-cong-target="{}" data-cong-options="{}"></span>',
        self.js_constructor, id_, json.dumps(self.get_js_init_options(id_, name, value_data)),
    )
    return mark_safe(f"{widget_html}{marker}")


def install() -> None:
    from wagtail.admin.widgets.chooser import BaseChooser

    global _original_render
    if BaseChooser.render is not _render:
        _original_render = BaseChooser.render
        BaseChooser.render = _render
