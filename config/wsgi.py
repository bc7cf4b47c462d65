import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

django_application = get_wsgi_application()


def _compose(app):
    from cong.analytics.wsgi import BeaconCollector
    from cong.core.page_cache import PageCache, default_store

    return BeaconCollector(PageCache(app, default_store()))


application = _compose(django_application)
