"""The public theme: landmarks, Vietnamese, no third-party assets, headers."""

import re

import pytest

from cong.units.models import PortalSettings


@pytest.fixture(autouse=True)
def _static(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


PAGES = ["/", "/gioi-thieu/", "/gioi-thieu/lanh-dao/", "/tin-tuc-su-kien/", "/lien-he/", "/so-do-cong/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_landmarks_skip_link_and_vietnamese(network, host_client, path):
    r = host_client("stttt.binhan.test").get(path)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="vi">' in html
    assert 'class="skip-link" href="#noi-dung"' in html
    assert 'id="noi-dung"' in html
    for landmark in ('role="banner"', 'role="contentinfo"', "<main", 'aria-label="Menu chính"'):
        assert landmark in html
    assert "Sở Thông tin và Truyền thông" in html


@pytest.mark.parametrize("path", PAGES)
def test_no_asset_comes_from_another_host(network, host_client, path):
    html = host_client("stttt.binhan.test").get(path).content.decode()
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        if attr.startswith(("http://", "https://", "//")):
            # only links (anchors) may point elsewhere; assets never
            assert not re.search(rf'<(?:script|link|img|iframe)[^>]+(?:src|href)="{re.escape(attr)}"', html), attr
    assert "<script>" not in html
    assert "onclick=" not in html


def test_every_image_has_alt_text(network, host_client):
    html = host_client("binhan.test").get("/").content.decode()
    for tag in re.findall(r"<img[^>]*>", html):
        assert " alt=" in tag, tag


def test_security_headers_and_csp_without_inline_script(network, host_client):
    r = host_client("stttt.binhan.test").get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("style-src")[0]
    assert "'unsafe-inline'" not in next(p for p in csp.split(";") if "script-src" in p)
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in r["Permissions-Policy"]
    assert r["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_footer_shows_the_portal_settings(network, host_client):
    site = network.portals["a"].site
    ps = PortalSettings.for_site(site)
    ps.responsible_person = "Trần Văn Bình"
    ps.responsible_title = "Giám đốc Sở"
    ps.address = "Số 1 đường Hùng Vương"
    ps.phone = "0271 3879 999"
    ps.email = "stttt@binhan.test"
    ps.licence_line = "Giấy phép số 05/GP-TTĐT ngày 5/3/2020"
    ps.save()
    html = host_client("stttt.binhan.test").get("/").content.decode()
    for text in ("Trần Văn Bình", "Giám đốc Sở", "Số 1 đường Hùng Vương", "0271 3879 999",
                 "stttt@binhan.test", "Giấy phép số 05/GP-TTĐT", "Tỉnh Bình An"):
        assert text in html


def test_province_home_lists_the_network(network, host_client):
    html = host_client("binhan.test").get("/").content.decode()
    assert "http://stttt.binhan.test/" in html
    assert "http://syt.binhan.test/" in html


def test_404_is_vietnamese_and_500_template_renders_without_database(network, host_client):
    r = host_client("binhan.test").get("/khong-co-trang-nay/")
    assert r.status_code == 404
    assert "Không tìm thấy trang" in r.content.decode()
    from django.template.loader import get_template

    assert "Hệ thống đang gặp sự cố" in get_template("500.html").render({})


def test_robots_and_xml_sitemap(network, host_client):
    c = host_client("stttt.binhan.test")
    robots = c.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://stttt.binhan.test/sitemap.xml" in robots
    xml = c.get("/sitemap.xml").content.decode()
    assert "<loc>http://stttt.binhan.test/gioi-thieu/</loc>" in xml
    assert "syt.binhan.test" not in xml


def test_emc_snippet_is_rendered_and_allowed_by_csp(network, host_client):
    site = network.portals["a"].site
    ps = PortalSettings.for_site(site)
    ps.emc_snippet = '<script src="https://api.emc.gov.vn/tracking.js" id="emc-1" data-site="abc"></script>'
    ps.full_clean()
    ps.save()
    r = host_client("stttt.binhan.test").get("/")
    html = r.content.decode()
    assert '<script src="https://api.emc.gov.vn/tracking.js"' in html
    assert "https://api.emc.gov.vn" in r["Content-Security-Policy"]
    # other portals do not allow it
    other = host_client("syt.binhan.test").get("/")
    assert "emc.gov.vn" not in other["Content-Security-Policy"]


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script src="http://api.emc.gov.vn/x.js"></script>',
        '<script src="https://api.emc.gov.vn/x.js" onload="alert(1)"></script>',
        '<img src=x onerror=alert(1)>',
    ],
)
def test_bad_emc_snippets_are_refused(network, snippet):
    from django.core.exceptions import ValidationError

    ps = PortalSettings.for_site(network.portals["a"].site)
    ps.emc_snippet = snippet
    with pytest.raises(ValidationError):
        ps.full_clean()


def test_print_stylesheet_is_linked(network, host_client):
    html = host_client("binhan.test").get("/gioi-thieu/").content.decode()
    assert 'media="print"' in html


def test_english_is_available_under_en(network, host_client):
    html = host_client("stttt.binhan.test").get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html and "Main menu" in html
    vi = host_client("stttt.binhan.test").get("/").content.decode()
    assert "Bỏ qua, đến nội dung chính" in vi
