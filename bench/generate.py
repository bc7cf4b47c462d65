"""Bulk generators for benchmarks: many information items in little time.

Pages are inserted with computed tree paths in batches (what the records
import does one by one with full validation); the search index is filled in
bulk. Reproducible from a seed. Run inside Django (``bench/run.py`` does).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

PHRASES = [
    "chuyển đổi số", "cải cách hành chính", "đầu tư công", "phòng chống dịch bệnh", "nông thôn mới",
    "giáo dục đào tạo", "y tế cơ sở", "giao thông nông thôn", "quản lý đất đai", "quy hoạch tỉnh",
    "doanh nghiệp nhỏ và vừa", "du lịch sinh thái", "an toàn thực phẩm", "dịch vụ công trực tuyến",
    "Đề án 06", "phòng cháy chữa cháy", "bảo vệ môi trường", "an sinh xã hội", "thu ngân sách",
    "xây dựng Đảng", "phổ biến pháp luật", "cây điều", "cao su", "hồ tiêu", "khu công nghiệp",
]
VERBS = ["Triển khai", "Đẩy mạnh", "Tăng cường", "Hội nghị về", "Kết quả", "Kế hoạch", "Hướng dẫn",
         "Tập huấn", "Kiểm tra", "Sơ kết", "Tổng kết", "Thông báo về"]


def title(rng: random.Random) -> str:
    a, b = rng.sample(PHRASES, 2)
    return f"{rng.choice(VERBS)} {a} gắn với {b} năm {rng.randint(2017, 2024)}"


def generate_items(total: int, seed: int = 1, start=dt.date(2017, 1, 1), end=dt.date(2024, 12, 31),
                   portal_codes: list[str] | None = None, index: bool = True, prefix: str = "") -> int:
    """Add ``total`` published articles spread over every portal's sections
    (or over the portals of ``portal_codes``); ``index=False`` leaves the
    search index alone (benchmarks that do not search)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from modelsearch.backends import get_search_backends
    from wagtail.models import Locale, Page

    from cong.content.models import ArticlePage, Category, ItemPage
    from cong.core.vn import fold
    from cong.units.models import Portal

    rng = random.Random(seed)
    categories = list(Category.objects.values_list("pk", "slug"))
    ct = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    portals = Portal.objects.select_related("site", "unit").order_by("pk")
    if portal_codes:
        portals = portals.filter(unit__code__in=portal_codes)
    portals = list(portals)
    only = bool(portal_codes)
    sections = {}
    for portal in portals:
        home = Page.objects.get(pk=portal.site.root_page_id)
        for slug in ("tin-tuc-su-kien", "chi-dao-dieu-hanh", "chien-luoc-quy-hoach-ke-hoach", "pho-bien-phap-luat"):
            sections.setdefault(portal.pk, []).append(home.get_children().get(slug=slug))
    span = (end - start).days
    created = 0
    batch = 2000
    while created < total:
        n = min(batch, total - created)
        with transaction.atomic():
            plan = []
            for _ in range(n):
                portal = portals[0] if not only and rng.random() < 0.3 else rng.choice(portals)
                plan.append(rng.choice(sections[portal.pk]))
            by_section = {}
            for section in plan:
                by_section.setdefault(section.pk, [section, 0])[1] += 1
            pages, extra = [], []
            for section, count in by_section.values():
                last = section.get_children().order_by("-path").only("path").first()
                path = last.path if last else None
                for _ in range(count):
                    path = Page._get_path(section.path, section.depth + 1, 1) if path is None else Page(path=path)._inc_path()
                    t = title(rng)
                    when = dt.datetime.combine(start + dt.timedelta(days=rng.randint(0, span)),
                                               dt.time(rng.randint(6, 21), rng.randint(0, 59)), TZ)
                    slug = f"g{prefix}{seed}-{created + len(pages)}"
                    pages.append(Page(
                        title=t, draft_title=t, slug=slug, path=path, depth=section.depth + 1, numchild=0,
                        url_path=f"{section.url_path}{slug}/", content_type=ct, live=True,
                        has_unpublished_changes=False, first_published_at=when, last_published_at=when,
                        locale=locale, translation_key=uuid.uuid4(), show_in_menus=False,
                    ))
                    cat_id, _slug = rng.choice(categories)
                    extra.append((cat_id, f"{t}. Thông tin về {fold(t)}."))
                Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + count)
            Page.objects.bulk_create(pages)
            items = [
                ArticlePage(page_ptr_id=p.pk, itempage_ptr_id=p.pk, item_type="article", summary=summary,
                            category_id=cat_id, author="", source="", legacy_url="", body=[])
                for p, (cat_id, summary) in zip(pages, extra, strict=True)
            ]
            ItemPage.objects._insert(items, fields=ItemPage._meta.local_concrete_fields)
            ArticlePage.objects._insert(items, fields=ArticlePage._meta.local_concrete_fields)
            if index:
                fresh = list(ArticlePage.objects.filter(pk__in=[p.pk for p in pages]))
                for backend in get_search_backends(with_auto_update=True):
                    backend.add_bulk(ArticlePage, fresh)
        created += n
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics after a bulk load
        cursor.execute("ANALYZE")
    return created
