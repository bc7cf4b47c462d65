import datetime as dt

from cong.content.models import ArticlePage, Category
from cong.units import services
from cong.units.models import PortalPathRedirect


def _article(portal, slug, title):
    section = portal.site.root_page.get_children().get(slug="tin-tuc-su-kien")
    return section.add_child(instance=ArticlePage(
        title=title, slug=slug, category=Category.objects.get(slug="tin-tuc-su-kien"), live=True,
    ))


def test_a_merged_portal_redirects_permanently_to_its_successor(network, host_client):
    a, b = network.units["a"], network.units["b"]
    old = _article(a.portal, "hoi-nghi-chuyen-doi-so", "Hội nghị chuyển đổi số")
    mapped_target = _article(b.portal, "tin-da-chuyen", "Tin đã chuyển")
    PortalPathRedirect.objects.create(
        portal=a.portal, old_path="/tin-cu-da-chuyen/", target_page=mapped_target
    )
    services.unit_merge(unit=a, into=b, merged_on=dt.date(2025, 7, 1))
    old_host = host_client("stttt.binhan.test")

    # an explicit mapping wins
    r = old_host.get("/tin-cu-da-chuyen/")
    assert r.status_code == 301
    assert r["Location"] == mapped_target.full_url

    # a page of the old portal goes to its archived copy on the successor
    r = old_host.get("/tin-tuc-su-kien/hoi-nghi-chuyen-doi-so/")
    assert r.status_code == 301
    assert r["Location"] == "http://syt.binhan.test/luu-tru/so-a/tin-tuc-su-kien/hoi-nghi-chuyen-doi-so/"

    # anything else goes to the successor's home page
    for path in ("/", "/khong-ton-tai/"):
        r = old_host.get(path)
        assert r.status_code == 301
        assert r["Location"] == "http://syt.binhan.test/"

    # the archive keeps serving the old page, marked as archived
    archived = host_client("syt.binhan.test").get("/luu-tru/so-a/tin-tuc-su-kien/hoi-nghi-chuyen-doi-so/")
    assert archived.status_code == 200
    body = archived.content.decode()
    assert "Hội nghị chuyển đổi số" in body
    assert "trang lưu trữ" in body
    assert old.pk  # the archive itself was not touched


def test_the_archive_is_served_only_by_the_successor(network, host_client):
    a, b = network.units["a"], network.units["b"]
    _article(a.portal, "tin-a", "Tin A")
    services.unit_merge(unit=a, into=b)
    assert host_client("binhan.test").get("/luu-tru/so-a/tin-tuc-su-kien/tin-a/").status_code == 404
    assert host_client("syt.binhan.test").get("/luu-tru/so-b/").status_code == 404


def test_an_active_portal_is_not_redirected(network, host_client):
    assert host_client("stttt.binhan.test").get("/").status_code == 200
