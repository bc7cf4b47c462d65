"""Adapters from Django/Wagtail signals to cache invalidation.

Sites and portal settings are also edited through Wagtail's own admin views,
which our services do not see; these handlers bump the ``portals`` cache
version whenever either changes, however it was changed.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from cong.core import cache_version

from .models import PortalSettings


def _portals_changed(sender, instance=None, **kwargs):
    from cong.core.page_cache import purge_all, purge_site

    cache_version.bump(cache_version.PORTALS)
    if isinstance(instance, PortalSettings):
        purge_site(instance.site)
    else:
        purge_all()


def register():
    for model in (Site, PortalSettings):
        post_save.connect(_portals_changed, sender=model, dispatch_uid=f"units-{model.__name__}-saved")
        post_delete.connect(_portals_changed, sender=model, dispatch_uid=f"units-{model.__name__}-deleted")
