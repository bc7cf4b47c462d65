"""Writes for portal pages: the standard tree every new portal starts with."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from wagtail import hooks
from wagtail.models import Page

from cong.units.choices import UnitType

from .models import ContactPage, HomePage, SectionPage, SitemapPage, StandardPage


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    kind: type[Page] = SectionPage
    in_menu: bool = True
    body: str = ""
    extra: dict = field(default_factory=dict)
    children: tuple[Section, ...] = ()


def _p(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": text}] if text else []


def standard_sections(unit) -> tuple[Section, ...]:
    """The sections a state portal needs (Decree 42/2022 Art. 4, the Access
    to Information law, Circular 22/2023 App. I)."""
    intro_children: tuple[Section, ...] = (
        Section("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ, quyền hạn", StandardPage),
        Section("co-cau-to-chuc", "Cơ cấu tổ chức, sơ đồ tổ chức", StandardPage),
        Section("lanh-dao", "Lãnh đạo", StandardPage, extra={"show_officials": "leader"}),
        Section(
            "can-bo-dau-moi", "Cán bộ đầu mối cung cấp thông tin", StandardPage,
            extra={"show_officials": "contact"},
        ),
    )
    if unit.unit_type in (UnitType.PROVINCE, UnitType.DISTRICT, UnitType.COMMUNE):
        intro_children += (
            Section(
                "tong-quan", "Tổng quan: điều kiện tự nhiên, lịch sử, văn hóa", StandardPage
            ),
        )
    else:
        intro_children += (Section("lich-su", "Lịch sử hình thành", StandardPage),)
    tthc_body = (
        '<p>Thủ tục hành chính và dịch vụ công trực tuyến được cung cấp thống nhất '
        f'trên <a href="{settings.CONG_NATIONAL_PUBLIC_SERVICE_URL}">Cổng Dịch vụ công quốc gia</a>.</p>'
    )
    return (
        Section("gioi-thieu", "Giới thiệu", StandardPage, children=intro_children),
        Section("tin-tuc-su-kien", "Tin tức – Sự kiện"),
        Section("chi-dao-dieu-hanh", "Chỉ đạo – Điều hành"),
        Section("van-ban", "Văn bản"),
        Section("chien-luoc-quy-hoach-ke-hoach", "Chiến lược – Quy hoạch – Kế hoạch"),
        Section("truyen-thong-chinh-sach", "Truyền thông chính sách"),
        Section("pho-bien-phap-luat", "Phổ biến, giáo dục pháp luật", in_menu=False),
        Section("video", "Video", in_menu=False),
        Section("infographic", "Infographic", in_menu=False),
        Section("banner", "Banner", in_menu=False),
        Section("thu-tuc-hanh-chinh", "Thủ tục hành chính", StandardPage, body=tthc_body),
        Section("tiep-can-thong-tin", "Tiếp cận thông tin", StandardPage),
        Section("hoi-dap", "Hỏi đáp"),
        Section("lay-y-kien-du-thao", "Lấy ý kiến dự thảo"),
        Section("thong-bao", "Thông báo"),
        Section("lien-he", "Liên hệ", ContactPage),
        Section("so-do-cong", "Sơ đồ cổng", SitemapPage, in_menu=False),
        Section(
            "chinh-sach-bao-ve-du-lieu-ca-nhan", "Chính sách bảo vệ dữ liệu cá nhân",
            StandardPage, in_menu=False,
        ),
    )


def section_page_types() -> dict[str, type[Page]]:
    """Page types other apps provide for standard sections, by slug.

    An app that owns a section (the gazette for ``van-ban``, engagement for
    ``hoi-dap``…) registers a ``cong_portal_section_types`` hook returning
    ``{slug: PageClass}``; new portals then get that page type there. The
    class is created with the section's title, slug and menu flag only.
    """
    types: dict[str, type[Page]] = {}
    for fn in hooks.get_hooks("cong_portal_section_types"):
        types.update(fn())
    return types


def _add(parent: Page, spec: Section, overrides: dict[str, type[Page]]) -> Page:
    kwargs = {"title": spec.title, "slug": spec.slug, "show_in_menus": spec.in_menu, "live": True}
    kind = overrides.get(spec.slug, spec.kind)
    if kind is not spec.kind:
        page = parent.add_child(instance=kind(**kwargs))
        for child in spec.children:
            _add(page, child, overrides)
        return page
    if spec.kind is StandardPage:
        kwargs["body"] = _p(spec.body)
    kwargs.update(spec.extra)
    page = parent.add_child(instance=spec.kind(**kwargs))
    for child in spec.children:
        _add(page, child, overrides)
    return page


def portal_home_create(*, unit) -> HomePage:
    """Create a portal's home page and its standard sections, published."""
    root = Page.get_first_root_node()
    base = unit.code
    slug, n = base, 1
    while Page.objects.filter(depth=2, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    home = root.add_child(
        instance=HomePage(
            title=unit.name, slug=slug, live=True,
            show_network=unit.unit_type == UnitType.PROVINCE,
        )
    )
    overrides = section_page_types()
    for spec in standard_sections(unit):
        _add(home, spec, overrides)
    return home


def portal_sections_ensure(*, portal) -> list[Page]:
    """Create the standard sections a portal lacks (after an upgrade that adds
    sections); existing pages are left as they are. Returns what was created."""
    home = portal.site.root_page.specific
    overrides = section_page_types()
    existing = set(home.get_children().values_list("slug", flat=True))
    created = []
    for spec in standard_sections(portal.unit):
        if spec.slug not in existing:
            created.append(_add(home, spec, overrides))
    return created


# --- Editorial workflow ---------------------------------------------------------


def portal_workflow_create(*, portal):
    """The portal's editorial workflow: a writer drafts; the "Biên tập" task
    (editors and the secretary) reviews and edits; the "Phê duyệt" task (the
    board's Trưởng and Phó trưởng ban) approves, which publishes. Assigned to
    the portal's home page, so it covers the whole portal. Idempotent."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from cong.units.choices import BoardRole

    groups = {pg.role: pg.group for pg in portal.groups.select_related("group")}
    name = f"Quy trình biên tập – {portal.unit.display_short_name} ({portal.unit.code})"
    workflow, created = Workflow.objects.get_or_create(name=name)
    if created:
        review = GroupApprovalTask.objects.create(name=f"Biên tập – {portal.unit.code}")
        review.groups.set([groups[BoardRole.EDITOR], groups[BoardRole.SECRETARY]])
        approve = GroupApprovalTask.objects.create(name=f"Phê duyệt – {portal.unit.code}")
        approve.groups.set([groups[BoardRole.CHIEF], groups[BoardRole.DEPUTY]])
        WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=approve, sort_order=1)
    WorkflowPage.objects.update_or_create(
        page_id=portal.site.root_page_id, defaults={"workflow": workflow}
    )
    return workflow


def item_legacy_redirect_set(*, item, site) -> None:
    """Make the item's old address (``legacy_url``) answer with a 301 to it."""
    from urllib.parse import urlsplit

    from wagtail.contrib.redirects.models import Redirect

    if not item.legacy_url:
        return
    parts = urlsplit(item.legacy_url)
    old_path = Redirect.normalise_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    Redirect.objects.update_or_create(
        old_path=old_path, site=site,
        defaults={"redirect_page": item, "is_permanent": True, "redirect_link": ""},
    )
