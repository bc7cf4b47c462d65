"""Wagtail's public page URLs (``wagtail.urls``), served through
``content.routing.serve``: same patterns and names, so ``pageurl``,
``Page.get_url`` and the password and login forms of private pages work as
they do with Wagtail's own module."""

from django.urls import re_path
from wagtail import urls as wagtail_urls

from . import routing

urlpatterns = [
    *(p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]
