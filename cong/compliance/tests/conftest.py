"""A complete portal: every element the rules require, built from scratch on
the conftest network's portal "a" (Sở Thông tin và Truyền thông)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cong.compliance import services
from cong.units.models import Official, PortalSettings

EMC = '<script src="https://emc.ncsc.gov.vn/js/emc.js" id="emc-script" async></script>'
CERT_URL = "https://tinnhiemmang.vn/danh-ba-tin-nhiem/sttttbinhantest-1700000000"
LONG = (
    "Chính sách này mô tả cách cổng thu thập, sử dụng và bảo vệ dữ liệu cá nhân của người dùng "
    "khi gửi câu hỏi, góp ý hoặc yêu cầu cung cấp thông tin; dữ liệu chỉ được xử lý khi có sự đồng ý "
    "của chủ thể dữ liệu, được lưu trữ an toàn và xóa khi hết mục đích xử lý."
)


def paragraph(html):
    return json.dumps([{"type": "paragraph", "value": html}])


def body_with(blocks):
    return json.dumps(blocks)


def set_body(page, html=None, blocks=None):
    page = page.specific
    page.body = body_with(blocks) if blocks is not None else paragraph(html)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def child(root, *slugs):
    page = root
    for slug in slugs:
        page = page.get_children().get(slug=slug)
    return page.specific


def add_standard(parent, title, slug, html):
    from cong.content.models import StandardPage

    page = parent.add_child(instance=StandardPage(title=title, slug=slug, live=False, body=paragraph(html)))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def secure_settings(settings):
    """Production's HTTPS settings (the rule checks what production serves)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


@pytest.fixture
def complete_portal(network, image_factory, publish_item, secure_settings):
    from wagtail.documents.models import Document
    from wagtail.models import Locale

    from cong.content.models import ArticlePage, DocumentPage, PolicyPage

    portal = network.portals["a"]
    root = portal.site.root_page
    now = timezone.now()
    today = timezone.localdate()

    ps = PortalSettings.for_site(portal.site)
    ps.portal_name = "Cổng Thông tin điện tử Sở Thông tin và Truyền thông tỉnh Bình An"
    ps.governing_body = "Sở Thông tin và Truyền thông tỉnh Bình An"
    ps.responsible_person = "Nguyễn Văn An"
    ps.responsible_title = "Giám đốc Sở"
    ps.address = "Số 1 đường Trần Hưng Đạo, phường Tân Phú, tỉnh Bình An"
    ps.phone = "0271 3879 123"
    ps.email = "stttt@binhan.gov.vn"
    ps.emc_snippet = EMC
    ps.save()

    Official.objects.create(portal=portal, role="leader", name="Nguyễn Văn An", title="Giám đốc",
                            duties="Phụ trách chung; trực tiếp chỉ đạo công tác tổ chức cán bộ.")
    Official.objects.create(portal=portal, role="contact", name="Trần Thị Bình", title="Chánh Văn phòng",
                            phone="0271 3879 124", email="binh@binhan.gov.vn")

    image = image_factory(portal, title="Sơ đồ tổ chức", alt="Sơ đồ tổ chức của Sở")
    set_body(child(root, "gioi-thieu", "chuc-nang-nhiem-vu"),
             "<p>Sở là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu, giúp Ủy ban nhân dân tỉnh "
             "quản lý nhà nước về thông tin và truyền thông.</p>")
    set_body(child(root, "gioi-thieu", "co-cau-to-chuc"), blocks=[
        {"type": "paragraph", "value": "<p>Lãnh đạo Sở gồm Giám đốc và các Phó Giám đốc; các phòng chuyên môn "
                                       "và đơn vị sự nghiệp trực thuộc.</p>"},
        {"type": "figure", "value": {"image": {"image": image.pk, "alt_text": "Sơ đồ tổ chức của Sở",
                                               "decorative": False}, "caption": "Sơ đồ tổ chức"}},
    ])

    file = Document.objects.create(title="Quyết định", collection=portal.collection,
                                   file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="qd-12.pdf"))
    issued = today - dt.timedelta(days=1)
    publish_item(
        portal, DocumentPage, section="van-ban", category="chi-dao-dieu-hanh",
        title="Quyết định ban hành kế hoạch chuyển đổi số", summary="Ban hành kế hoạch chuyển đổi số năm nay.",
        document_number="12/QĐ-STTTT", issued_on=issued, issuer_name="Sở Thông tin và Truyền thông",
        files=json.dumps([{"type": "file", "value": {"document": file.pk, "title": "Toàn văn"}}]),
    )
    publish_item(portal, ArticlePage, section="chien-luoc-quy-hoach-ke-hoach", category="chien-luoc-quy-hoach",
                 title="Kế hoạch công tác năm", summary="Kế hoạch công tác năm của Sở.")
    publish_item(portal, ArticlePage, section="pho-bien-phap-luat", category="pho-bien-phap-luat",
                 title="Hướng dẫn Luật Chuyển đổi số", summary="Những điểm mới của luật.")
    publish_item(portal, PolicyPage, section="truyen-thong-chinh-sach", category="tham-van-chinh-sach",
                 title="Chính sách hỗ trợ chữ ký số", what_changes="<p>Miễn phí chữ ký số.</p>",
                 who_is_affected="Người dân", what_to_do="<p>Đăng ký tại bộ phận một cửa.</p>")
    publish_item(portal, ArticlePage, section="tin-tuc-su-kien", title="Hội nghị triển khai nhiệm vụ",
                 summary="Sở tổ chức hội nghị triển khai nhiệm vụ năm.")

    intro = child(root, "gioi-thieu")
    add_standard(intro, "Báo cáo tài chính năm", "bao-cao-tai-chinh",
                 "<p>Báo cáo tài chính năm của Sở, lập theo chế độ kế toán hành chính sự nghiệp.</p>")
    add_standard(intro, "Thông tin thống kê ngành", "thong-ke",
                 "<p>Số liệu thống kê ngành thông tin và truyền thông của tỉnh.</p>")
    add_standard(intro, "Quy chế quản lý, vận hành và cung cấp thông tin trên Cổng", "quy-che",
                 "<p>Quy chế gồm quy trình xử lý sự cố và quy trình xử lý thông tin vi phạm pháp luật.</p>")
    access = set_body(child(root, "tiep-can-thong-tin"),
                      "<p>Đầu mối cung cấp thông tin: Văn phòng Sở. Yêu cầu gửi về "
                      "tiepcan@binhan.gov.vn theo mẫu yêu cầu cung cấp thông tin.</p>")
    add_standard(access, "Danh mục thông tin phải được công khai", "danh-muc",
                 "<p>Tên văn bản, số, ký hiệu, ngày tạo, hình thức và thời hạn công khai.</p>")
    set_body(child(root, "chinh-sach-bao-ve-du-lieu-ca-nhan"), f"<p>{LONG}</p>")

    en, _ = Locale.objects.get_or_create(language_code="en")
    for slugs in (("gioi-thieu", "chuc-nang-nhiem-vu"), ("gioi-thieu", "co-cau-to-chuc"),
                  ("gioi-thieu", "can-bo-dau-moi")):
        page = child(root, *slugs)
        translated = page.copy_for_translation(en, copy_parents=True)
        translated.save_revision().publish()

    services.trust_label_save(unit=portal.unit, certificate="TNM-2026-0001",
                              issued_on=today - dt.timedelta(days=100), expires_on=today + dt.timedelta(days=265),
                              domain=portal.site.hostname, certificate_url=CERT_URL)
    services.trust_badge_sync(unit=portal.unit)
    # a legal normative document posted on the portal's gazette last month
    from cong.core.records import Importer

    posted = now - dt.timedelta(days=30)
    result = Importer().run([json.dumps({
        "kind": "legal_document", "id": "qd-day-du", "unit": portal.unit.code, "number": "15/2026/QĐ-UBND",
        "doc_type": "Quyết định", "normative": True, "issuer": "Ủy ban nhân dân tỉnh Bình An",
        "issued_on": (posted.date() - dt.timedelta(days=1)).isoformat(), "posted_at": posted.isoformat(),
        "summary": "Quy định quản lý, vận hành cổng thông tin điện tử",
    }, ensure_ascii=False)])
    assert result.ok, result.errors
    return portal
