"""What each demo portal must carry to pass the compliance rules that content
can satisfy (legal-requirements.md §2.2, §3; cong/compliance/rules.py):
an organisation chart, complete documents with a file, current plans, law
dissemination and policy communication, the annual financial statement and
statistics, the disclosure list, the access-to-information section, English
pages, the operating regulation, the EMC code and a normative document on the
portal's gazette.

Dates are relative to the day the demo is loaded: a demo left alone for
months goes stale, as a real portal would. Rules that depend on facts outside
the portal's content (the trust-label certificate issued by NCSC, HTTPS as
the production server serves it) are not faked here.

Every step is idempotent: running ``load_demo`` again adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.files.base import ContentFile
from django.utils import timezone

EMC_SNIPPET = '<script src="https://emc.ncsc.gov.vn/js/emc.js" id="emc-script" async></script>'


def _paragraphs(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": t} for t in texts]


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (ASCII text: the built-in Helvetica has
    no Vietnamese glyphs; the page carries the document's number and date)."""
    text = " ".join(f"({line.encode('ascii', 'replace').decode()}) Tj T*" for line in [title, *lines])
    stream = f"BT /F1 12 Tf 14 TL 72 760 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _chart_image(portal):
    """The organisation chart as a picture: boxes for the leadership and
    the divisions, with Vietnamese labels."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont
    from wagtail.images.models import Image

    title = "Sơ đồ tổ chức"
    found = Image.objects.filter(collection=portal.collection, title=title).first()
    if found is not None:
        return found
    picture = PILImage.new("RGB", (960, 540), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 22)
    except OSError:
        font = ImageFont.load_default()
    boxes = [((330, 40, 630, 120), "Lãnh đạo"), ((40, 300, 300, 380), "Văn phòng"),
             ((350, 300, 610, 380), "Các phòng chuyên môn"), ((660, 300, 920, 380), "Đơn vị trực thuộc")]
    for (x0, y0, x1, y1), label in boxes:
        draw.rectangle((x0, y0, x1, y1), outline=(11, 74, 139), width=3)
        draw.text((x0 + 16, y0 + 26), label, fill=(11, 74, 139), font=font)
    draw.line((480, 120, 480, 220), fill=(11, 74, 139), width=3)
    draw.line((170, 220, 790, 220), fill=(11, 74, 139), width=3)
    for x in (170, 480, 790):
        draw.line((x, 220, x, 300), fill=(11, 74, 139), width=3)
    draw.text((40, 470), portal.unit.name, fill=(0, 0, 0), font=font)
    buf = io.BytesIO()
    picture.save(buf, "PNG")
    return Image.objects.create(
        title=title, description=f"Sơ đồ tổ chức của {portal.unit.name}",
        file=ContentFile(buf.getvalue(), name=f"{portal.unit.code}-so-do-to-chuc.png"),
        collection=portal.collection,
    )


def _child(parent, slug):
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page is not None else None


def _publish(page, when=None):
    page.save_revision().publish()
    if when is not None:
        type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


def _standard(parent, slug, title, paragraphs):
    from cong.content.models import StandardPage

    if _child(parent, slug) is not None:
        return False
    page = parent.add_child(instance=StandardPage(title=title, slug=slug, live=False,
                                                  body=_paragraphs(*paragraphs)))
    _publish(page)
    return True


def _item(portal, model, section_slug, slug, category, when, **fields):
    from cong.content.models import Category

    section = _child(portal.site.root_page, section_slug)
    if section is None or _child(section, slug) is not None:
        return False
    page = section.add_child(instance=model(slug=slug, live=False,
                                            category=Category.objects.get(slug=category), **fields))
    _publish(page, when)
    return True


def portal_complete(portal, index: int, now: dt.datetime | None = None) -> list[str]:
    """Give one portal every element the content rules require. Returns the
    names of the steps that changed something."""
    from cong.content.models import ArticlePage, DocumentPage, PolicyPage
    from cong.units.models import PortalSettings

    now = now or timezone.now()
    unit = portal.unit
    home = portal.site.root_page.specific
    short = unit.display_short_name
    year = timezone.localtime(now).year
    done = []

    ps = PortalSettings.for_site(portal.site)
    if not ps.emc_snippet:
        ps.emc_snippet = EMC_SNIPPET
        ps.save(update_fields=["emc_snippet"])
        done.append("emc")

    intro = _child(home, "gioi-thieu")
    chart = _child(intro, "co-cau-to-chuc") if intro else None
    if chart is not None and not any(b.block_type == "figure" for b in chart.body):
        image = _chart_image(portal)
        chart.body = [*chart.body.raw_data, {"type": "figure", "value": {
            "image": {"image": image.pk, "alt_text": f"Sơ đồ tổ chức của {unit.name}", "decorative": False},
            "caption": "Sơ đồ tổ chức"}}]
        _publish(chart)
        done.append("chart")

    # Documents: number, date of issue, issuer, summary and a downloadable file.
    from wagtail.documents.models import Document

    docs = DocumentPage.objects.descendant_of(home).order_by("pk")
    for n, doc in enumerate(docs):
        if doc.document_number and doc.issued_on and doc.issuer_name and len(doc.files):
            continue
        issued = timezone.localtime(doc.first_published_at).date()
        doc.document_number = doc.document_number or f"{100 + index * 10 + n}/QĐ-{unit.code.upper()}"
        doc.issued_on = doc.issued_on or issued
        doc.issuer_name = doc.issuer_name or unit.name
        if not len(doc.files):
            file = Document.objects.create(
                title=f"Toàn văn {doc.document_number}", collection=portal.collection,
                file=ContentFile(_pdf(doc.document_number, [f"{unit.code} {issued:%d/%m/%Y}"]),
                                 name=f"{unit.code}-van-ban-{doc.pk}.pdf"),
            )
            doc.files = [{"type": "file", "value": {"document": file.pk, "title": "Toàn văn văn bản"}}]
        _publish(doc)
        done.append(f"document {doc.pk}")

    recent = now - dt.timedelta(days=3 + index % 10)
    if _item(portal, ArticlePage, "chien-luoc-quy-hoach-ke-hoach", f"ke-hoach-cong-tac-nam-{year}",
             "chien-luoc-quy-hoach", recent, title=f"Kế hoạch công tác năm {year} của {short}",
             summary=f"Kế hoạch xác định nhiệm vụ trọng tâm và giải pháp thực hiện của {short} năm {year}.",
             body=_paragraphs(f"<p>{unit.name} ban hành kế hoạch công tác năm {year}, phân công nhiệm vụ "
                              "cho từng phòng, đơn vị và thời hạn hoàn thành.</p>")):
        done.append("plan")
    if _item(portal, ArticlePage, "pho-bien-phap-luat", f"pho-bien-phap-luat-{year}-{timezone.localtime(now):%m}",
             "pho-bien-phap-luat", recent, title=f"{short} phổ biến các luật mới có hiệu lực",
             summary="Giới thiệu những điểm mới của các luật có hiệu lực trong năm.",
             body=_paragraphs(f"<p>{unit.name} tổ chức phổ biến, hướng dẫn các luật mới có hiệu lực "
                              "tới cán bộ, công chức và người dân.</p>")):
        done.append("dissemination")
    if _item(portal, PolicyPage, "truyen-thong-chinh-sach", f"chinh-sach-ho-tro-chu-ky-so-{year}",
             "tham-van-chinh-sach", recent, title="Chính sách hỗ trợ chữ ký số cho người dân",
             summary="Người dân được cấp miễn phí chứng thư chữ ký số cá nhân.",
             what_changes="<p>Người dân được cấp miễn phí chứng thư chữ ký số để nộp hồ sơ trực tuyến.</p>",
             who_is_affected="Công dân từ đủ 18 tuổi",
             what_to_do=f"<p>Đăng ký tại bộ phận một cửa của {short} hoặc trên Cổng Dịch vụ công quốc gia.</p>"):
        done.append("policy")

    if intro is not None:
        if _standard(intro, f"bao-cao-tai-chinh-nam-{year - 1}", f"Báo cáo tài chính năm {year - 1}", [
            f"<p>Báo cáo tài chính năm {year - 1} của {unit.name}, lập theo chế độ kế toán hành chính, "
            "sự nghiệp: tình hình tài chính, kết quả hoạt động và lưu chuyển tiền tệ.</p>"]):
            done.append("finance")
        if _standard(intro, f"thong-tin-thong-ke-{year}", f"Thông tin thống kê ngành năm {year}", [
            f"<p>Số liệu thống kê của {unit.name}: số hồ sơ tiếp nhận, giải quyết đúng hạn, "
            "tỷ lệ hồ sơ trực tuyến toàn trình.</p>"]):
            done.append("statistics")
        if _standard(intro, "quy-che-quan-ly-van-hanh", "Quy chế quản lý, vận hành và cung cấp thông tin trên Cổng", [
            f"<p>Quy chế quy định việc quản lý, vận hành và cung cấp thông tin trên Cổng thông tin điện tử "
            f"của {unit.name}: trách nhiệm của Ban Biên tập, quy trình biên tập và đăng tải thông tin.</p>",
            "<p>Chương III quy định quy trình xử lý sự cố: tiếp nhận, khoanh vùng, khắc phục, "
            "báo cáo và thông báo tạm ngừng cung cấp thông tin.</p>",
            "<p>Chương IV quy định quy trình xử lý thông tin vi phạm pháp luật: tiếp nhận phản ánh, "
            "gỡ bỏ, đính chính và báo cáo cơ quan có thẩm quyền.</p>"]):
            done.append("regulation")

    access = _child(home, "tiep-can-thong-tin")
    if access is not None:
        email = ps.email or unit.email or f"{unit.code}@binhphuoc.gov.vn"
        text = " ".join(str(b.value) for b in access.body)
        if "@" not in text:
            access.body = _paragraphs(
                "<p>Công dân có quyền tiếp cận thông tin theo Luật Tiếp cận thông tin năm 2016.</p>",
                f"<p>Đầu mối cung cấp thông tin: Văn phòng {short}, điện thoại {ps.phone}. "
                f"Yêu cầu cung cấp thông tin gửi về {email} theo mẫu phiếu yêu cầu cung cấp thông tin "
                "ban hành kèm theo Nghị định 13/2018/NĐ-CP.</p>")
            _publish(access)
            done.append("access")
        if _standard(access, "danh-muc-thong-tin-phai-cong-khai", "Danh mục thông tin phải được công khai", [
            f"<p>Danh mục thông tin phải được công khai của {unit.name}: tên văn bản, số, ký hiệu, "
            "ngày tạo, hình thức và thời hạn công khai, đơn vị chủ trì.</p>"]):
            done.append("disclosure")

    if intro is not None and _english_pages(portal, intro):
        done.append("english")

    if _gazette_document(portal, index, now):
        done.append("gazette")
    return done


ENGLISH = {
    "chuc-nang-nhiem-vu": ("Functions and duties",
                           "<p>{name} advises the Provincial People's Committee and manages the sector "
                           "it is assigned.</p>"),
    "co-cau-to-chuc": ("Organisational structure",
                       "<p>The leadership (the director and deputy directors), the office, the inspectorate, "
                       "the specialised divisions and the affiliated units.</p>"),
    "can-bo-dau-moi": ("Contact officials",
                       "<p>The officials who provide information under Article 4 of Decree 42/2022/ND-CP; "
                       "their names, titles, telephone numbers and e-mail addresses are listed on this page.</p>"),
}


def _english_pages(portal, intro) -> bool:
    from wagtail.models import Locale

    en, _ = Locale.objects.get_or_create(language_code="en")
    changed = False
    for slug, (title, html) in ENGLISH.items():
        page = _child(intro, slug)
        if page is None or page.get_translation_or_none(en) is not None:
            continue
        translated = page.copy_for_translation(en, copy_parents=True).specific
        translated.title = title
        if hasattr(translated, "body"):
            translated.body = _paragraphs(html.format(name=portal.unit.name))
        _publish(translated)
        changed = True
    return changed


def _gazette_document(portal, index, now) -> bool:
    """A normative document on the portal's gazette, posted the working day
    after its issue, within the last month."""
    from django.apps import apps

    if not apps.is_installed("cong.gazette"):
        return False
    from cong.core.records import Importer

    unit = portal.unit
    posted = now - dt.timedelta(days=10 + index % 15)
    record_id = f"demo-{unit.code}-quy-che-{timezone.localtime(now).year}"
    result = Importer().run([json.dumps({
        "kind": "legal_document", "id": record_id, "unit": unit.code,
        "number": f"{20 + index}/{timezone.localtime(now).year}/QĐ-{unit.code.upper()}",
        "doc_type": "Quyết định", "normative": True, "issuer": unit.name,
        "issued_on": (timezone.localtime(posted).date() - dt.timedelta(days=1)).isoformat(),
        "posted_at": posted.isoformat(),
        "summary": "Ban hành Quy chế quản lý, vận hành và cung cấp thông tin trên cổng thông tin điện tử",
    }, ensure_ascii=False)])
    if result.errors:
        raise ValueError("; ".join(str(e) for e in result.errors))
    return bool(result.counts["legal_document"]["created"])
