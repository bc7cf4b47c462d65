"""Public pages of the publishing side: lists, items, feeds, site map."""

import re

import feedparser
import pytest
from django.utils import timezone
from wagtail.models import Page

from cong.content.models import (
    ArticlePage,
    BannerPage,
    DocumentPage,
    HomePage,
    InfographicPage,
    ItemPage,
    PolicyPage,
    SectionPage,
    VideoPage,
)

from .conftest import local

HOST = "stttt.binhan.test"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_page_tree_rules():
    assert SectionPage in ArticlePage.allowed_parent_page_models()
    assert ArticlePage in SectionPage.allowed_subpage_models()
    assert HomePage.allowed_parent_page_models() == [Page]
    for model in (ArticlePage, VideoPage, InfographicPage, BannerPage, PolicyPage):
        assert model.allowed_subpage_models() == []
    assert not ItemPage.is_creatable


def test_section_list_paginates_and_filters(network, host_client, publish_item):
    portal = network.portals["a"]
    for i in range(17):
        publish_item(portal, title=f"Tin thứ {i}", slug=f"tin-{i}", when=local(2024, 1, 1 + i),
                     category="chuyen-doi-so" if i % 2 else "tin-tuc-su-kien")
    c = host_client(HOST)
    first = c.get("/tin-tuc-su-kien/").content.decode()
    assert "Tin thứ 16" in first and "Tin thứ 0" not in first  # newest first, 15 per page
    second = c.get("/tin-tuc-su-kien/?trang=2").content.decode()
    assert "Tin thứ 0" in second and "Tin thứ 1<" in second.replace("Tin thứ 1 ", "Tin thứ 1<")
    filtered = c.get("/tin-tuc-su-kien/?chuyen_muc=chuyen-doi-so").content.decode()
    titles = re.findall(r"Tin thứ (\d+)", filtered)
    assert titles and all(int(t) % 2 for t in titles)
    dated = c.get("/tin-tuc-su-kien/?tu_ngay=2024-01-05&den_ngay=2024-01-07").content.decode()
    assert sorted(int(t) for t in re.findall(r"Tin thứ (\d+)", dated)) == [4, 5, 6]
    bad = c.get("/tin-tuc-su-kien/?tu_ngay=2024-02-01&den_ngay=2024-01-01")
    assert bad.status_code == 200 and "phải trước" in bad.content.decode()


def test_the_cached_item_count_of_a_section_follows_publishing(network, host_client, publish_item):
    portal = network.portals["a"]
    for i in range(15):
        publish_item(portal, title=f"Tin đếm {i}", slug=f"dem-{i}", when=local(2024, 2, 1 + i))
    c = host_client(HOST)
    assert "?trang=2" not in c.get("/tin-tuc-su-kien/").content.decode()  # one page: count cached
    publish_item(portal, title="Tin thứ mười sáu", slug="dem-16", when=local(2024, 2, 20))
    assert "?trang=2" in c.get("/tin-tuc-su-kien/").content.decode()
    assert "Tin đếm 0" in c.get("/tin-tuc-su-kien/?trang=2").content.decode()


def test_item_page_has_metadata_share_links_print_and_related(network, host_client, publish_item, image_factory):
    portal = network.portals["a"]
    image = image_factory(portal)
    a = publish_item(portal, title="Hội thảo chuyển đổi số", slug="hoi-thao", featured_image=image,
                     summary="Hội thảo về dữ liệu số.", category="chuyen-doi-so", author="Lê Văn Hải")
    a.topics.add("Diễn đàn EuroCham")
    a.save_revision().publish()
    b = publish_item(portal, title="Tin cùng chủ đề", slug="cung-chu-de", category="tin-tuc-su-kien")
    b.topics.add("Diễn đàn EuroCham")
    b.save_revision().publish()
    html = host_client(HOST).get(a.url).content.decode()
    assert '<meta property="og:title" content="Hội thảo chuyển đổi số">' in html
    assert '<meta name="DC.title" content="Hội thảo chuyển đổi số">' in html
    assert '<meta name="DC.creator" content="Lê Văn Hải">' in html
    assert 'property="og:image"' in html
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Fstttt.binhan.test" in html
    assert "Zalo" in html
    assert "<script src=\"https://" not in html  # no third-party script
    assert "js-print" in html and "Lưu PDF" in html
    assert "Tin cùng chủ đề" in html  # related by topic
    assert "Diễn đàn EuroCham" in html


def test_every_item_type_renders(network, host_client, publish_item, image_factory):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    portal = network.portals["a"]
    image = image_factory(portal)
    mp4 = Document.objects.create(title="clip", file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"0" * 64, name="clip.mp4"),
                                  collection=portal.collection)
    vtt = Document.objects.create(title="phụ đề", file=ContentFile("WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào\n".encode(), name="pd.vtt"),
                                  collection=portal.collection)
    c = host_client(HOST)
    video = publish_item(portal, VideoPage, section="video", title="Video tập huấn", slug="video-th",
                         video_file=mp4, captions=vtt, featured_image=image)
    html = c.get(video.url).content.decode()
    assert "<video" in html and 'kind="captions"' in html and 'srclang="vi"' in html and "poster=" in html
    ext = publish_item(portal, VideoPage, section="video", title="Video YouTube", slug="video-yt",
                       external_url="https://www.youtube.com/watch?v=abcdefghijk")
    html = c.get(ext.url).content.decode()
    assert "<iframe" not in html  # loads only after a click
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1"' in html
    info = publish_item(portal, InfographicPage, section="infographic", title="Số liệu quý I", slug="so-lieu",
                        images=[{"type": "image", "value": {"image": {"image": image.pk, "alt_text": "Biểu đồ cột", "decorative": False}, "caption": "Nguồn: Sở"}}],
                        long_description="<p>Tỷ lệ hồ sơ trực tuyến đạt 80%.</p>")
    html = c.get(info.url).content.decode()
    assert 'alt="Biểu đồ cột"' in html and "Tỷ lệ hồ sơ trực tuyến đạt 80%" in html
    doc = publish_item(portal, DocumentPage, section="van-ban", title="Quyết định ban hành quy chế", slug="qd-qc",
                       document_number="05/2024/QĐ-UBND", issuer_name="UBND tỉnh Bình An")
    html = c.get(doc.url).content.decode()
    assert "05/2024/QĐ-UBND" in html and "UBND tỉnh Bình An" in html
    policy = publish_item(portal, PolicyPage, section="truyen-thong-chinh-sach", title="Miễn lệ phí cấp căn cước",
                          slug="mien-le-phi", what_changes="<p>Miễn lệ phí</p>", who_is_affected="Công dân từ 14 tuổi",
                          what_to_do="<p>Đến công an xã</p>", effective_from=local(2024, 7, 1).date(),
                          legal_basis=[{"type": "link", "value": {"page": doc.pk, "url": "", "label": "Quyết định 05"}}])
    html = c.get(policy.url).content.decode()
    for text in ("Điều gì thay đổi?", "Áp dụng cho ai?", "Từ khi nào?", "Cần làm gì?", "Công dân từ 14 tuổi", "Quyết định 05"):
        assert text in html
    assert 'href="/van-ban/qd-qc/"' in html


def test_banners_show_only_within_their_window(network, host_client, publish_item, image_factory):
    portal = network.portals["a"]
    now = timezone.now()
    publish_item(portal, BannerPage, section="banner", title="Đang hiện", slug="b1", text="Chào mừng Đại hội",
                 display_from=now - timezone.timedelta(days=1), display_until=now + timezone.timedelta(days=1),
                 link_url="https://dichvucong.gov.vn")
    publish_item(portal, BannerPage, section="banner", title="Hết hạn", slug="b2", text="Banner cũ",
                 display_from=now - timezone.timedelta(days=9), display_until=now - timezone.timedelta(days=2))
    publish_item(portal, BannerPage, section="banner", title="Sắp hiện", slug="b3", text="Banner tương lai",
                 display_from=now + timezone.timedelta(days=2))
    html = host_client(HOST).get("/").content.decode()
    assert "Chào mừng Đại hội" in html
    assert "Banner cũ" not in html and "Banner tương lai" not in html
    assert "Đang hiện" not in host_client(HOST).get("/tin-tuc-su-kien/").content.decode()  # banners are not news


def test_rss_feeds_parse(network, host_client, publish_item):
    portal = network.portals["a"]
    for i in range(3):
        publish_item(portal, title=f"Tin RSS {i}", slug=f"rss-{i}", summary=f"Tóm tắt {i}", when=local(2024, 2, 1 + i))
    publish_item(portal, section="chi-dao-dieu-hanh", title="Chỉ đạo RSS", slug="cd-rss", category="chi-dao-dieu-hanh")
    c = host_client(HOST)
    portal_feed = feedparser.parse(c.get("/rss.xml").content)
    assert not portal_feed.bozo, portal_feed.bozo_exception
    assert portal_feed.feed.title == "Sở Thông tin và Truyền thông"
    titles = [e.title for e in portal_feed.entries]
    assert titles[:1] == ["Chỉ đạo RSS"] and "Tin RSS 2" in titles
    assert portal_feed.entries[1].link.startswith("http://stttt.binhan.test/")
    section_feed = feedparser.parse(c.get("/chi-dao-dieu-hanh/rss/").content)
    assert not section_feed.bozo
    assert [e.title for e in section_feed.entries] == ["Chỉ đạo RSS"]
    assert host_client("syt.binhan.test").get("/rss.xml").content.decode().count("<item>") == 0


def test_items_are_in_the_xml_sitemap(network, host_client, publish_item):
    item = publish_item(network.portals["a"], title="Tin trong sitemap", slug="tin-sitemap")
    xml = host_client(HOST).get("/sitemap.xml").content.decode()
    assert f"<loc>{item.full_url}</loc>" in xml


def test_editor_text_is_escaped_on_public_pages(network, host_client, publish_item):
    item = publish_item(network.portals["a"], title='Tiêu đề <script>alert("x")</script>', slug="xss",
                        summary='<img src=x onerror="alert(1)">')
    html = host_client(HOST).get(item.url).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "<img src=x onerror" not in html


def test_spread_channels_follow_the_category_unless_set(network, publish_item):
    from cong.content.models import Category

    cat = Category.objects.get(slug="chuyen-doi-so")
    cat.spread_zalo_default = True
    cat.save()
    item = publish_item(network.portals["a"], title="Lan tỏa", slug="lan-toa", category="chuyen-doi-so")
    assert item.spread_channels() == {"zalo"}
    item.spread_facebook = True
    item.spread_zalo = False
    assert item.spread_channels() == {"facebook"}
