from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cong.content import urls as content_urls
from cong.content import views as content_views
from cong.core import abuse
from cong.design_system import views as ds_views
from cong.gazette.api import api as gazette_api
from cong.security.views import public as security_public
from cong.units.views import public as units_public
from cong.units.views.audit import PortalScopedLogEntriesView

handler404 = "cong.design_system.views.page_not_found"
handler500 = "cong.design_system.views.server_error"

urlpatterns = [
    # Replaces Wagtail's site history report (same URL and name) with one
    # that keeps each board to its own portals; see units/views/audit.py.
    path(
        "admin/reports/site-history/",
        require_admin_access(PortalScopedLogEntriesView.as_view()),
        name="site_history_scoped",
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(PortalScopedLogEntriesView.as_view(results_only=True)),
        name="site_history_scoped_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", ds_views.robots_txt, name="robots_txt"),
    path("-/pow/", abuse.pow_challenge_view, name="pow_challenge"),
    path("", include("cong.analytics.urls")),
    path("api/cong-bao/", gazette_api.urls),
    path("", include("cong.ops.urls")),
    path("sitemap.xml", ds_views.sitemap_xml, name="sitemap_xml"),
]

if settings.CONG_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += i18n_patterns(
    path("tim-kiem/", content_views.search, name="search"),
    path("phan-anh-vi-pham/", security_public.report_form, name="security_report"),
    path("rss.xml", content_views.portal_feed, name="portal_feed"),
    path("cong-bao/", include("cong.gazette.urls")),
    path("", include("cong.engagement.urls")),
    path("luu-tru/<slug:code>/", units_public.archive_page, name="units_archive_home"),
    path("luu-tru/<slug:code>/<path:path>", units_public.archive_page, name="units_archive"),
    # Wagtail's page URLs, with the page found in one query (content.routing)
    path("", include(content_urls)),
    prefix_default_language=False,
)
