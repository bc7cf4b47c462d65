"""content.routing: a public address resolved in one indexed query answers
exactly what Wagtail's level-by-level ``Page.route`` answers."""

import feedparser
import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from cong.content import routing
from cong.content.models import SectionPage

HOST = "stttt.binhan.test"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _wagtail_route(path, language="vi"):
    """What Wagtail's own walk answers (``Page.route_for_request`` without its cache)."""
    request = RequestFactory().get(path, HTTP_HOST=HOST)
    with translation.override(language):
        site = Site.find_for_request(request)
        try:
            return site.root_page.localized.specific.route(request, [c for c in path.split("/") if c])
        except Http404:
            return None


def _fast_route(path, language="vi"):
    request = RequestFactory().get(path, HTTP_HOST=HOST)
    with translation.override(language):
        return routing.route(request, path)


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    (page_a, args_a, kwargs_a), (page_b, args_b, kwargs_b) = a, b
    if type(page_a) is not type(page_b) or page_a.pk != page_b.pk or kwargs_a != kwargs_b:
        return False
    if args_a and callable(args_a[0]):  # a routable page's (view, args, kwargs)
        return args_b and args_a[0].__func__ is args_b[0].__func__ and args_a[1:] == args_b[1:]
    return args_a == args_b


def _path(page):
    """The page's address on its portal (``page.url`` is absolute: several sites)."""
    page.refresh_from_db()
    return page.relative_url(page.get_site())


def _section(portal, slug="tin-tuc-su-kien"):
    return portal.site.root_page.get_children().get(slug=slug).specific


def test_every_kind_of_address_routes_as_wagtail_does(network, publish_item):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin định tuyến", slug="tin-dinh-tuyen")
    hidden = publish_item(portal, title="Tin đã gỡ", slug="tin-da-go")
    hidden.unpublish()
    item_path = _path(item)
    paths = [
        "/", "/tin-tuc-su-kien/", item_path, "/tin-tuc-su-kien/rss/", "/tin-tuc-su-kien/tin-da-go/",
        "/khong-co/", "/tin-tuc-su-kien/khong-co/", item_path + "them/", "/tin-tuc-su-kien/rss/them/",
        "/so-do-cong/", "/lien-he/",
    ]
    for path in paths:
        for language in ("vi", "en"):
            assert _same(_fast_route(path, language), _wagtail_route(path, language)), (path, language)
    assert _fast_route(item_path).page.pk == item.pk
    assert _fast_route("/tin-tuc-su-kien/tin-da-go/") is None
    assert _fast_route("/tin-tuc-su-kien/rss/").page.pk == _section(portal).pk


def test_an_item_and_a_list_take_few_queries(network, host_client, publish_item, django_assert_max_num_queries):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin đếm truy vấn", slug="tin-dem-truy-van")
    c = host_client(HOST)
    path = _path(item)
    assert c.get(path).status_code == 200  # warm the process caches
    assert c.get("/tin-tuc-su-kien/").status_code == 200
    with django_assert_max_num_queries(5):
        response = c.get(path)
    assert response.status_code == 200 and "Tin đếm truy vấn" in response.content.decode()
    with django_assert_max_num_queries(5):
        response = c.get("/tin-tuc-su-kien/")
    assert response.status_code == 200 and "Tin đếm truy vấn" in response.content.decode()


def test_a_served_page_is_not_read_again_until_content_changes(network, host_client, publish_item):
    """The routed rows and the page served are kept per content version: a
    second request reads no page row, each request gets its own copy of the
    page, and a publish shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    portal = network.portals["a"]
    item = publish_item(portal, title="Tin giữ trong bộ nhớ", slug="tin-giu-bo-nho")
    c = host_client(HOST)
    path = _path(item)
    assert c.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = c.get(path)
    assert response.status_code == 200 and "Tin giữ trong bộ nhớ" in response.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "wagtailcore_page" in q["sql"]]

    first, second = _fast_route(path).page, _fast_route(path).page
    assert first is not second and first.pk == second.pk == item.pk
    first.title = "chỉ của yêu cầu này"
    assert _fast_route(path).page.title == "Tin giữ trong bộ nhớ"

    revision = item.save_revision()
    revision.content["title"] = "Tin đã sửa tiêu đề"
    revision.save()
    revision.publish()
    assert "Tin đã sửa tiêu đề" in c.get(path).content.decode()


def test_a_moved_page_answers_at_its_new_address_only(network, host_client, publish_item):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin sẽ chuyển mục", slug="tin-chuyen-muc")
    c = host_client(HOST)
    old = _path(item)
    assert c.get(old).status_code == 200
    target = _section(portal, "chi-dao-dieu-hanh")
    item.move(target, pos="last-child")
    assert _path(item) != old and _path(item).startswith("/chi-dao-dieu-hanh/")
    gone = c.get(old)  # Wagtail leaves a redirect behind a moved page
    assert gone.status_code == 301 and gone["Location"].endswith(_path(item))
    moved = c.get(_path(item))
    assert moved.status_code == 200 and "Tin sẽ chuyển mục" in moved.content.decode()
    assert "Chỉ đạo" in moved.content.decode()  # breadcrumb from the new ancestors


def test_unpublished_pages_are_not_served_but_their_live_children_are(network, host_client, publish_item):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin trong mục bị gỡ", slug="tin-muc-go")
    c = host_client(HOST)
    item.unpublish()
    assert c.get(_path(item)).status_code == 404
    item.save_revision().publish()
    section = _section(portal)
    section.unpublish()
    # Wagtail serves a live page under an unpublished one; so does the shortcut
    assert c.get("/tin-tuc-su-kien/").status_code == 404
    assert c.get(_path(item)).status_code == 200
    assert _same(_fast_route(_path(item)), _wagtail_route(_path(item)))


def test_private_pages_keep_their_restrictions(network, host_client, publish_item):
    portal = network.portals["a"]
    private = publish_item(portal, title="Tin nội bộ", slug="tin-noi-bo")
    locked = publish_item(portal, title="Tin có mật khẩu", slug="tin-mat-khau")
    c = host_client(HOST)
    assert "Tin nội bộ" in c.get("/tin-tuc-su-kien/").content.decode()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat")
    response = c.get(_path(private))
    assert response.status_code == 302 and "login" in response["Location"]
    response = c.get(_path(locked))
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert "Tin có mật khẩu</h1>" not in response.content.decode()
    # lists follow at once (the restriction bumps the content version)
    listing = c.get("/tin-tuc-su-kien/").content.decode()
    assert "Tin nội bộ" not in listing and "Tin có mật khẩu" not in listing
    # a restriction on the section covers the items under it
    PageViewRestriction.objects.filter(page=private).delete()
    open_item = publish_item(portal, title="Tin trong mục riêng", slug="tin-muc-rieng", section="chi-dao-dieu-hanh")
    assert c.get(_path(open_item)).status_code == 200
    PageViewRestriction.objects.create(page=_section(portal, "chi-dao-dieu-hanh"), restriction_type=PageViewRestriction.LOGIN)
    assert c.get(_path(open_item)).status_code == 302
    assert c.get(_path(private)).status_code == 200
    assert routing.is_public_path(private.path) and not routing.is_public_path(open_item.path)


def test_a_routable_section_answers_its_sub_routes_and_its_children(network, host_client, publish_item):
    portal = network.portals["a"]
    publish_item(portal, title="Tin trong RSS", slug="tin-rss")
    c = host_client(HOST)
    feed = feedparser.parse(c.get("/tin-tuc-su-kien/rss/").content)
    assert [e.title for e in feed.entries][:1] == ["Tin trong RSS"]
    # a child whose slug is a sub-route: the sub-route wins, as in Wagtail
    section = _section(portal)
    child = section.add_child(instance=SectionPage(title="Mục tên rss", slug="rss"))
    child.save_revision().publish()
    assert _same(_fast_route("/tin-tuc-su-kien/rss/"), _wagtail_route("/tin-tuc-su-kien/rss/"))
    assert "xml" in c.get("/tin-tuc-su-kien/rss/")["Content-Type"]


def test_redirects_and_previews_still_work(network, host_client, publish_item):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin đích", slug="tin-dich")
    Redirect.objects.create(old_path="/tin-cu", site=portal.site, redirect_page=item)
    c = host_client(HOST)
    response = c.get("/tin-cu/")
    assert response.status_code == 301 and response["Location"].endswith(_path(item))
    assert "Tin đích" in c.get(_path(item)).content.decode()  # the published article, now cached
    draft = item.specific
    draft.title = "Tin đích (bản nháp)"
    preview = draft.make_preview_request()
    assert preview.status_code == 200 and "Tin đích (bản nháp)" in preview.content.decode()


def test_a_page_type_with_its_own_route_gets_the_rest_of_the_path(network, publish_item, monkeypatch):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin có định tuyến riêng", slug="tin-dinh-tuyen-rieng")
    seen = []

    def own_route(self, request, path_components):
        seen.append(list(path_components))
        return Page.route(self, request, path_components)

    monkeypatch.setattr(SectionPage, "route", own_route)
    result = _fast_route(_path(item))
    assert seen == [["tin-dinh-tuyen-rieng"]]
    assert result.page.pk == item.pk


def test_a_republished_article_shows_its_new_text_at_once(network, host_client, publish_item):
    portal = network.portals["a"]
    item = publish_item(portal, title="Tin bản đầu", slug="tin-ban-dau", summary="Sapo bản đầu")
    c = host_client(HOST)
    path = _path(item)
    assert "Sapo bản đầu" in c.get(path).content.decode()  # cached fragment
    item = item.specific
    item.summary = "Sapo đã sửa"
    item.save_revision().publish()
    html = c.get(path).content.decode()
    assert "Sapo đã sửa" in html and "Sapo bản đầu" not in html
    related = publish_item(portal, title="Tin liên quan mới", slug="tin-lien-quan-moi")
    assert related.pk and "Tin liên quan mới" in c.get(path).content.decode()


def test_a_renamed_attachment_shows_its_new_title_at_once(network, host_client, publish_item, tmp_path, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = str(tmp_path)
    portal = network.portals["a"]
    doc = get_document_model().objects.create(
        title="Kế hoạch bản đầu", file=ContentFile(b"%PDF-1.4 ke hoach", name="ke-hoach.pdf"))
    item = publish_item(portal, title="Tin có tệp", slug="tin-co-tep",
                        body=[("attachment", {"document": doc, "title": ""})])
    c = host_client(HOST)
    path = _path(item)
    assert "Kế hoạch bản đầu" in c.get(path).content.decode()  # body fragment now cached
    doc.title = "Kế hoạch đã sửa tên"
    doc.save()
    html = c.get(path).content.decode()
    assert "Kế hoạch đã sửa tên" in html and "Kế hoạch bản đầu" not in html
