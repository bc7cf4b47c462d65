"""Load the demo province network. Safe to run again: nothing is duplicated."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from cong.accounts.models import User
from cong.content.models import StandardPage
from cong.core.records import Importer
from cong.demo import content, network
from cong.demo.compliance import portal_complete
from cong.units import services
from cong.units.choices import BoardRole
from cong.units.models import BoardMembership, Official, Portal, PortalSettings

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "cong-demo-2024"  # noqa: S105 - printed for the demonstration
ROLE_LOGIN = {
    BoardRole.CHIEF: "truongban",
    BoardRole.DEPUTY: "photruongban",
    BoardRole.SECRETARY: "thuky",
    BoardRole.EDITOR: "bientap",
    BoardRole.CONTRIBUTOR: "congtacvien",
}


def unit_records(host_suffix: str) -> list[dict]:
    p = network.PROVINCE
    records = [{
        "kind": "unit", "id": p["id"], "name": p["name"], "type": "province",
        "short_name": p["short_name"], "hostname": host_suffix, "address": p["address"],
        "phone": p["phone"], "email": p["email"],
    }]
    for code, name, short in network.DEPARTMENTS:
        records.append({
            "kind": "unit", "id": code, "name": f"{name}", "type": "department",
            "parent": p["id"], "short_name": short, "hostname": f"{code}.{host_suffix}",
            "email": f"{code}@binhphuoc.gov.vn",
        })
    for code, name, short in network.DISTRICTS:
        records.append({
            "kind": "unit", "id": code, "name": name, "type": "district",
            "parent": p["id"], "short_name": short, "hostname": f"{code}.{host_suffix}",
            "email": f"ubnd.{code}@binhphuoc.gov.vn",
        })
    targets = [{"kind": "target", "id": f"target-{r['id']}-2024", "unit": r["id"], "year": 2024,
                "items": 16500 if r["type"] == "province" else 3000} for r in records]
    return records + targets


class Command(BaseCommand):
    help = "Load the demo province network (Bình Phước, 2024)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port the demo is served on")
        parser.add_argument("--host-suffix", default="localhost")
        parser.add_argument("--items-per-template", type=int, default=1)
        parser.add_argument(
            "--minimal", action="store_true",
            help="only the province and two departments (browser tests, quick trials)",
        )

    def handle(self, *args, port, host_suffix, items_per_template, minimal, **options):
        records = unit_records(host_suffix)
        if minimal:
            keep = {network.PROVINCE["id"], "stttt", "syt"}
            records = [r for r in records if r["id"] in keep or r.get("unit") in keep]
        result = Importer().run(json.dumps(r, ensure_ascii=False) for r in records)
        if result.errors:
            raise CommandError("\n".join(str(e) for e in result.errors))
        for row in result.summary_lines():
            self.stdout.write(row)
        # Links between portals carry the demo's port.
        Site.objects.filter(hostname__endswith=host_suffix).update(port=port)
        Site.objects.filter(hostname=host_suffix).update(port=port)
        password = make_password(DEMO_PASSWORD)
        portals = list(Portal.objects.select_related("unit", "site").order_by("pk"))
        if minimal:
            portals = [p for p in portals if p.unit.code in {network.PROVINCE["id"], "stttt", "syt"}]
        rng = random.Random(2024)  # noqa: S311 - reproducible demo data
        records = []
        for i, portal in enumerate(portals):
            with transaction.atomic():
                self._settings(portal, i)
                self._board(portal, password)
                self._officials(portal, i)
                self._standard_pages(portal, i)
            records += self._content_records(portal, rng, items_per_template)
        result = Importer().run(json.dumps(r, ensure_ascii=False) for r in records)
        if result.errors:
            raise CommandError("\n".join(str(e) for e in result.errors[:20]))
        for row in result.summary_lines()[1:]:
            self.stdout.write(row)
        for portal in portals:
            with transaction.atomic():
                self._decorate(portal, self._demo_images(portal))
        now = timezone.now()
        for i, portal in enumerate(portals):
            with transaction.atomic():
                portal_complete(portal, i, now)
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_superuser": True, "is_staff": True,
                                        "first_name": "Quản trị", "last_name": "hệ thống"},
        )
        if created:
            admin.password = password
            admin.save()
        self.stdout.write(self.style.SUCCESS(
            f"\nDemo network ready: {len(portals)} portals.\n"
            f"  Province portal:   http://127.0.0.1:{port}/\n"
            f"  A unit's portal:   http://stttt.{host_suffix}:{port}/ (any code: see the home page)\n"
            f"  Admin:             http://127.0.0.1:{port}/admin/\n"
            f"  Sign in as 'admin' (operator) or '<code>.<role>' (board members, e.g. "
            f"'stttt.bientap', 'binhphuoc.truongban'), password '{DEMO_PASSWORD}'.\n"
            "  Roles: truongban, photruongban, thuky, bientap, congtacvien."
        ))

    def _settings(self, portal, i):
        unit = portal.unit
        ps = PortalSettings.for_site(portal.site)
        if unit.unit_type == "province":
            ps.portal_name = network.PROVINCE["portal_name"]
            ps.governing_body = network.PROVINCE["name"]
        ps.responsible_person = ps.responsible_person or network.person(i * 3 + 1)
        ps.responsible_title = ps.responsible_title or (
            "Chánh Văn phòng UBND tỉnh" if unit.unit_type == "province" else "Giám đốc"
            if unit.unit_type == "department" else "Chủ tịch UBND")
        ps.address = ps.address or f"Số {10 + i} đường Hùng Vương, TP. Đồng Xoài, tỉnh Bình Phước"
        ps.phone = ps.phone or f"0271 38{70 + i:02d} {100 + i * 7:03d}"
        ps.licence_line = ps.licence_line or (
            f"Giấy phép số {10 + i}/GP-TTĐT ngày 5/3/2020 của Sở Thông tin và Truyền thông")
        ps.save()

    def _board(self, portal, password):
        for role, suffix in ROLE_LOGIN.items():
            username = f"{portal.unit.code}.{suffix}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": str(BoardRole(role).label),
                          "last_name": portal.unit.display_short_name},
            )
            if created:
                user.password = password
                user.save(update_fields=["password"])
            if not BoardMembership.objects.filter(portal=portal, user=user, role=role,
                                                  ended_on__isnull=True).exists():
                services.board_member_appoint(
                    portal=portal, user=user, role=role,
                    decision_number=f"{15 + portal.pk}/QĐ-BBT", decision_date=dt.date(2024, 1, 2),
                )

    def _officials(self, portal, i):
        unit = portal.unit
        head = {"province": "Chủ tịch UBND tỉnh", "department": "Giám đốc",
                "district": "Chủ tịch UBND"}.get(unit.unit_type, "Thủ trưởng")
        deputy = {"province": "Phó Chủ tịch UBND tỉnh", "department": "Phó Giám đốc",
                  "district": "Phó Chủ tịch UBND"}.get(unit.unit_type, "Phó Thủ trưởng")
        people = [
            ("leader", head, "Phụ trách chung; trực tiếp chỉ đạo công tác tổ chức cán bộ, tài chính.", 0),
            ("leader", deputy, "Phụ trách công tác cải cách hành chính, chuyển đổi số.", 1),
            ("leader", deputy, "Phụ trách lĩnh vực kinh tế, đầu tư và xây dựng cơ bản.", 2),
            ("contact", "Chánh Văn phòng", "", 3),
            ("contact", "Chuyên viên phụ trách cổng thông tin", "", 4),
        ]
        for role, title, duties, n in people:
            name = network.person(i * 11 + n * 5 + 2)
            Official.objects.get_or_create(
                portal=portal, role=role, sort_order=n,
                defaults={"name": name, "title": title, "department": unit.name,
                          "phone": f"0271 3{880 + i:03d} {200 + n:03d}",
                          "email": f"{unit.code}.{n}@binhphuoc.gov.vn", "duties": duties},
            )

    def _standard_pages(self, portal, i):
        unit = portal.unit
        for page in StandardPage.objects.descendant_of(portal.site.root_page):
            template = content.STANDARD_BODIES.get(page.slug)
            if template and not page.body.raw_data:
                page.body = [{"type": "paragraph", "value": template.format(name=unit.name)}]
                page.save_revision().publish()

    def _content_records(self, portal, rng, per_template) -> list[dict]:
        """Sample items of every type for one portal, as import records."""
        unit = portal.unit
        leader = Official.objects.filter(portal=portal, role="leader").order_by("sort_order").first()
        short = unit.display_short_name
        records = []

        def when():
            return (dt.datetime(2024, 1, 2, 7, tzinfo=TZ) + dt.timedelta(
                days=rng.randint(0, 69), minutes=rng.randint(0, 600))).isoformat()

        def body(at):
            day = dt.datetime.fromisoformat(at)
            return "".join(p.format(day=day.day, month=day.month, name=unit.name, short=short,
                                    leader=leader.name if leader else "") for p in content.BODY)

        for slug, (category, templates) in content.SECTION_ITEMS.items():
            item_type = "document" if slug == "van-ban" else "article"
            for n, (title_t, summary_t) in enumerate(templates):
                for k in range(per_template):
                    at = when()
                    records.append({
                        "kind": "content", "id": f"demo-{unit.code}-{slug}-{n}-{k}", "unit": unit.code,
                        "type": item_type, "title": title_t.format(short=short, name=unit.name),
                        "summary": summary_t.format(short=short), "category": category,
                        "published_at": at, "body": body(at), "author": network.person(rng.randint(0, 500)),
                        "source": short,
                        "topics": ["Diễn đàn kết nối doanh nghiệp 2024"] if "Diễn đàn" in title_t else [],
                    })
        extras = [
            ("video", "chuyen-doi-so", f"Video: {short} hướng dẫn nộp hồ sơ trực tuyến",
             "Hướng dẫn từng bước nộp hồ sơ trên Cổng Dịch vụ công quốc gia.",
             '<p>Xem video: https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>'),
            ("infographic", "chuyen-doi-so", f"Infographic: kết quả chuyển đổi số của {short} năm 2023",
             "Các chỉ số chính về dịch vụ công trực tuyến và số hóa hồ sơ.",
             "<p>Tỷ lệ hồ sơ trực tuyến toàn trình đạt trên 80%; 100% văn bản đi được ký số.</p>"),
            ("banner", "tin-tuc-su-kien", "Chào mừng kỷ niệm 94 năm Ngày thành lập Đảng", "", ""),
        ]
        for i, (item_type, category, title, summary, html) in enumerate(extras):
            records.append({
                "kind": "content", "id": f"demo-{unit.code}-extra-{i}", "unit": unit.code,
                "type": item_type, "title": title, "summary": summary, "category": category,
                "published_at": when(), "body": html,
            })
        return records

    def _demo_images(self, portal):
        """Two generated pictures per portal (Vietnamese captions), reused by items."""
        from django.core.files.base import ContentFile
        from PIL import Image as PILImage
        from PIL import ImageDraw, ImageFont
        from wagtail.images.models import Image

        images = []
        specs = [("Ảnh hội nghị", (163, 19, 15)), ("Ảnh hoạt động", (11, 74, 139))]
        for title, colour in specs:
            found = Image.objects.filter(collection=portal.collection, title=title).first()
            if found is None:
                picture = PILImage.new("RGB", (960, 540), colour)
                draw = ImageDraw.Draw(picture)
                try:
                    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 40)
                except OSError:
                    font = ImageFont.load_default()
                draw.text((40, 230), f"{title}\n{portal.unit.display_short_name}", fill=(255, 213, 79), font=font)
                buf = io.BytesIO()
                picture.save(buf, "PNG")
                found = Image.objects.create(
                    title=title, description=f"{title} của {portal.unit.name}",
                    file=ContentFile(buf.getvalue(), name=f"{portal.unit.code}-{len(images)}.png"),
                    collection=portal.collection,
                )
            images.append(found)
        return images

    def _decorate(self, portal, images):
        """Give some items pictures and the infographic its image."""
        from cong.content.models import BannerPage, InfographicPage, ItemPage

        home = portal.site.root_page
        items = ItemPage.objects.filter(path__startswith=home.path, featured_image__isnull=True,
                                        item_type="article").order_by("-first_published_at")[:4]
        for n, item in enumerate(items):
            ItemPage.objects.filter(pk=item.pk).update(featured_image=images[n % 2])
        for info in InfographicPage.objects.filter(path__startswith=home.path):
            if not info.images.raw_data:
                info.images = [{"type": "image", "value": {
                    "image": {"image": images[1].pk, "alt_text": info.title, "decorative": False},
                    "caption": "Nguồn: số liệu trình diễn"}}]
                info.save(clean=False)
        BannerPage.objects.filter(path__startswith=home.path, featured_image__isnull=True).update(
            featured_image=images[0], display_until=None)
