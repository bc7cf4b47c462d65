"""The checks the rules name. A check returns an ``Outcome``; it raises
``Unavailable`` when it cannot decide (the result is then marked incomplete,
never passed) and ``NotApplicable`` when the rule has nothing to judge."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags

from cong.core.vn import fold

from .fetch import Fetched, Fetcher, FetchError
from .rules import Rule

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_RE = re.compile(r"(\+84|0)[\d .-]{7,}")


@dataclass
class Outcome:
    passed: bool
    message: str = ""
    fix_url: str = ""


class Unavailable(Exception):
    """The check could not run; the message says why (Vietnamese)."""


class NotApplicable(Exception):
    """Nothing to judge for this portal; the message says why."""


@dataclass
class Context:
    day: dt.date
    portal: object | None = None
    fetcher: Fetcher | None = None
    now: dt.datetime = field(default_factory=timezone.now)
    browser: object | None = None
    cache: dict = field(default_factory=dict)

    # --- portal data -----------------------------------------------------
    @property
    def unit(self):
        return self.portal.unit if self.portal else None

    @property
    def root(self):
        return self.portal.site.root_page

    def section(self, slug: str):
        """A live page directly under the portal's home page, by slug."""
        key = ("section", slug)
        if key not in self.cache:
            page = self.root.get_children().filter(slug=slug).live().first()
            self.cache[key] = page.specific if page else None
        return self.cache[key]

    def find(self, *slugs: str):
        page = self.section(slugs[0])
        for slug in slugs[1:]:
            if page is None:
                return None
            child = page.get_children().filter(slug=slug).live().first()
            page = child.specific if child else None
        return page

    def live_titles(self) -> list[tuple[int, str, dt.datetime | None]]:
        """(id, folded title, last published) of every live page of the portal."""
        if "titles" not in self.cache:
            from wagtail.models import Page

            rows = Page.objects.live().descendant_of(self.root).values_list(
                "id", "title", "last_published_at"
            )
            self.cache["titles"] = [(pk, fold(t).lower(), when) for pk, t, when in rows]
        return self.cache["titles"]

    def portal_settings(self):
        from cong.units.models import PortalSettings

        return PortalSettings.for_site(self.portal.site)

    # --- rendered pages -----------------------------------------------------
    def page(self, path: str, *, secure: bool = True) -> Fetched:
        if self.fetcher is None:
            raise Unavailable("Không có địa chỉ để tải trang.")
        try:
            return self.fetcher.get(path, secure=secure)
        except FetchError as exc:
            raise Unavailable(str(exc)) from exc

    def home(self) -> Fetched:
        page = self.page("/")
        if page.status != 200:
            raise Unavailable(f"Trang chủ trả về mã {page.status}.")
        return page

    def link_by_text(self, page: Fetched, *needles: str) -> str | None:
        for a in page.soup.find_all("a", href=True):
            text = fold(a.get_text(" ", strip=True)).lower()
            if any(n in text for n in needles):
                return a["href"]
        return None

    def article_path(self) -> str | None:
        """A sample article: the portal's latest, or one found by crawling."""
        if "article" in self.cache:
            return self.cache["article"]
        path = None
        if self.portal is not None:
            from cong.content.models import ArticlePage

            article = (ArticlePage.objects.live().public().descendant_of(self.root)
                       .order_by("-first_published_at").first())
            path = article.relative_url(self.portal.site) if article else None
            if path and path.startswith("http"):
                path = urlsplit(path).path
        else:
            path = self._crawl_for_article()
        self.cache["article"] = path
        return path

    def _crawl_for_article(self) -> str | None:
        home = self.home()
        seen = {"/"}
        candidates = []
        for a in home.soup.find_all("a", href=True):
            href = a["href"]
            if not self.fetcher.same_site(href):
                continue
            path = urlsplit(self.fetcher.absolute(href)).path or "/"
            if path not in seen and path.count("/") >= 2:
                seen.add(path)
                candidates.append(path)
        for path in candidates[:8]:
            try:
                page = self.fetcher.get(path)
            except FetchError:
                break
            if page.ok and page.soup.find("article") is not None:
                return path
        return None


def admin_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def page_edit_url(page) -> str:
    return admin_url("wagtailadmin_pages:edit", page.pk) if page else ""


def settings_url(ctx: Context) -> str:
    return admin_url("wagtailsettings:edit", "units", "portalsettings", ctx.portal.site_id)


def page_text(page) -> str:
    """The visible text of a page's own fields."""
    parts = [page.title, getattr(page, "summary", "") or ""]
    for name in ("body", "intro", "what_changes", "what_to_do"):
        value = getattr(page, name, None)
        if value is None:
            continue
        if hasattr(value, "render_as_block"):
            parts.append(strip_tags(str(value.render_as_block())))
        else:
            parts.append(strip_tags(str(value)))
    return " ".join(p for p in parts if p)


def page_raw(page) -> str:
    value = getattr(page, "body", None)
    if value is None:
        return ""
    raw = getattr(value, "raw_data", None)
    return str(list(raw)) if raw is not None else str(value)


CHECKS: dict[str, Callable[[Context, Rule], Outcome]] = {}


def check(name: str):
    def deco(fn):
        CHECKS[name] = fn
        return fn

    return deco


def _need_portal(ctx: Context):
    if ctx.portal is None:
        raise NotApplicable("Chỉ kiểm tra được trên cổng vận hành bằng Cổng.")


# --- Content -------------------------------------------------------------------


@check("intro_pages")
def intro_pages(ctx, rule):
    _need_portal(ctx)
    missing = []
    fix = ""
    for slug, label in (("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ"), ("co-cau-to-chuc", "Cơ cấu tổ chức")):
        page = ctx.find("gioi-thieu", slug)
        if page is None:
            missing.append(f"{label}: chưa có trang")
            intro = ctx.section("gioi-thieu")
            if intro is not None and not fix:
                fix = admin_url("wagtailadmin_pages:add_subpage", intro.pk)
            continue
        has_children = page.get_children().live().exists()
        if len(page_text(page)) - len(page.title) < 40 and not has_children:
            missing.append(f"{label}: trang chưa có nội dung")
            fix = fix or page_edit_url(page)
        if slug == "co-cau-to-chuc" and "figure" not in page_raw(page) and not has_children:
            missing.append(f"{label}: thiếu sơ đồ tổ chức (ảnh)")
            fix = fix or page_edit_url(page)
        days = rule.options.get("days")
        if days and page.last_published_at and page.last_published_at < ctx.now - dt.timedelta(days=days):
            missing.append(f"{label}: chưa được rà soát, cập nhật trong {days} ngày qua")
            fix = fix or page_edit_url(page)
    if missing:
        return Outcome(False, "; ".join(missing) + ".", fix)
    return Outcome(True)


@check("leaders")
def leaders(ctx, rule):
    _need_portal(ctx)
    rows = list(ctx.portal.officials.filter(role="leader"))
    add = admin_url("wagtailsnippets_units_official:add")
    if not rows:
        return Outcome(False, "Chưa có lãnh đạo nào.", add)
    incomplete = [o.name for o in rows if not (o.name and o.title and o.duties)]
    if incomplete:
        return Outcome(False, "Thiếu chức vụ hoặc nhiệm vụ được phân công: " + ", ".join(incomplete[:5]) + ".",
                       admin_url("wagtailsnippets_units_official:list"))
    return _officials_fresh(ctx, rule, rows, "Danh sách lãnh đạo")


def _officials_fresh(ctx, rule, rows, label):
    """Stale when no entry of the list was saved (reviewed) within the rule's days."""
    days = rule.options.get("days")
    if not days:
        return Outcome(True)
    newest = max(o.updated_at for o in rows)
    if newest < ctx.now - dt.timedelta(days=days):
        return Outcome(False, f"{label} chưa được rà soát, cập nhật trong {days} ngày qua "
                              f"(lần cuối ngày {timezone.localtime(newest):%d/%m/%Y}).",
                       admin_url("wagtailsnippets_units_official:list"))
    return Outcome(True)


@check("contacts")
def contacts(ctx, rule):
    _need_portal(ctx)
    rows = list(ctx.portal.officials.filter(role="contact"))
    if not rows:
        return Outcome(False, "Chưa có cán bộ đầu mối nào.", admin_url("wagtailsnippets_units_official:add"))
    incomplete = []
    for o in rows:
        lacks = [label for label, value in (("chức vụ", o.title), ("điện thoại", o.phone),
                                            ("thư điện tử", o.email)) if not value]
        if lacks:
            incomplete.append(f"{o.name} (thiếu {', '.join(lacks)})")
    if incomplete:
        return Outcome(False, "Cán bộ đầu mối thiếu thông tin: " + "; ".join(incomplete[:5]) + ".",
                       admin_url("wagtailsnippets_units_official:list"))
    return _officials_fresh(ctx, rule, rows, "Danh sách cán bộ đầu mối")


@check("documents")
def documents(ctx, rule):
    _need_portal(ctx)
    from cong.content.models import DocumentPage

    docs = list(DocumentPage.objects.live().descendant_of(ctx.root).order_by("-first_published_at")[:200])
    if not docs:
        section = ctx.section("van-ban")
        return Outcome(False, "Chưa đăng văn bản nào.",
                       admin_url("wagtailadmin_pages:add_subpage", section.pk) if section else "")
    bad = []
    for d in docs:
        lacks = [label for label, value in (
            ("số ký hiệu", d.document_number), ("ngày ban hành", d.issued_on),
            ("cơ quan ban hành", d.issuer_name), ("trích yếu", d.summary), ("tệp tải về", len(d.files)),
        ) if not value]
        if lacks:
            bad.append((d, lacks))
    if bad:
        d, lacks = bad[0]
        return Outcome(
            False,
            f"{len(bad)} văn bản thiếu trường bắt buộc; ví dụ «{d.title}» thiếu {', '.join(lacks)}.",
            page_edit_url(d),
        )
    return Outcome(True)


def _optional_selector(app: str, name: str):
    """A selector of an app that may not be installed (gazette, engagement)."""
    if not apps.is_installed(f"cong.{app}"):
        raise NotApplicable(f"Ứng dụng {app} chưa được cài đặt trên hệ thống.")
    try:
        module = __import__(f"cong.{app}.selectors", fromlist=[name])
    except ImportError as exc:
        raise Unavailable(f"Không đọc được dữ liệu của ứng dụng {app}.") from exc
    fn = getattr(module, name, None)
    if fn is None:
        raise Unavailable(f"Ứng dụng {app} không cung cấp {name}.")
    return fn


@check("gazette_register")
def gazette_register(ctx, rule):
    _need_portal(ctx)
    posted = _optional_selector("gazette", "documents_posted_count")
    counts = posted(ctx.unit, ctx.day - dt.timedelta(days=365), ctx.day)
    total = int(counts.get("normative", 0)) + int(counts.get("other", 0))
    if total == 0:
        return Outcome(False, "Không có văn bản nào đăng trên Công báo điện tử trong 12 tháng qua.")
    return Outcome(True, f"{total} văn bản trong 12 tháng qua.")


@check("recent_items")
def recent_items(ctx, rule):
    _need_portal(ctx)
    from cong.content.models import ItemPage

    slug, days = rule.options["section"], rule.options["days"]
    section = ctx.section(slug)
    if section is None:
        return Outcome(False, f"Chưa có chuyên mục «{slug}».")
    since = ctx.now - dt.timedelta(days=days)
    latest = (ItemPage.objects.live().descendant_of(section)
              .order_by("-first_published_at").values_list("first_published_at", flat=True).first())
    add = admin_url("wagtailadmin_pages:add_subpage", section.pk)
    if latest is None:
        return Outcome(False, f"Chuyên mục «{section.title}» chưa có thông tin nào.", add)
    if latest < since:
        return Outcome(False, f"Chuyên mục «{section.title}» không có thông tin mới trong {days} ngày qua.", add)
    return Outcome(True)


@check("finance_statistics")
def finance_statistics(ctx, rule):
    _need_portal(ctx)
    since = ctx.now - dt.timedelta(days=rule.options["days"])
    lacks = []
    for needle, label in (("bao cao tai chinh", "báo cáo tài chính năm"), ("thong ke", "thông tin thống kê")):
        found = [when for _, title, when in ctx.live_titles() if needle in title]
        if not found:
            lacks.append(f"chưa có {label}")
        elif max(w for w in found if w) < since:
            lacks.append(f"{label} đã cũ")
    if lacks:
        return Outcome(False, "; ".join(lacks).capitalize() + ".")
    return Outcome(True)


@check("disclosure_list")
def disclosure_list(ctx, rule):
    _need_portal(ctx)
    section = ctx.section("tiep-can-thong-tin")
    if section is None:
        return Outcome(False, "Chưa có chuyên mục Tiếp cận thông tin.")
    if "danh muc thong tin" in fold(page_text(section)).lower():
        return Outcome(True)
    for child in section.get_descendants().live().specific():
        if "danh muc thong tin" in fold(child.title).lower() and len(page_text(child)) > len(child.title) + 20:
            return Outcome(True)
    return Outcome(False, "Chưa đăng Danh mục thông tin phải được công khai.",
                   admin_url("wagtailadmin_pages:add_subpage", section.pk))


@check("access_section")
def access_section(ctx, rule):
    _need_portal(ctx)
    section = ctx.section("tiep-can-thong-tin")
    if section is None:
        return Outcome(False, "Chưa có chuyên mục Tiếp cận thông tin.")
    text = page_text(section) + " " + " ".join(
        page_text(p) for p in section.get_descendants().live().specific()[:20]
    )
    folded = fold(text).lower()
    lacks = []
    if "dau moi" not in folded:
        lacks.append("đầu mối cung cấp thông tin")
    if not EMAIL_RE.search(text):
        lacks.append("địa chỉ thư điện tử nhận yêu cầu")
    if "mau" not in folded.split():
        lacks.append("biểu mẫu yêu cầu cung cấp thông tin")
    if lacks:
        return Outcome(False, "Chuyên mục Tiếp cận thông tin thiếu: " + ", ".join(lacks) + ".",
                       page_edit_url(section))
    return Outcome(True)


@check("procedures_link")
def procedures_link(ctx, rule):
    _need_portal(ctx)
    page = ctx.section("thu-tuc-hanh-chinh")
    host = urlsplit(settings.CONG_NATIONAL_PUBLIC_SERVICE_URL).hostname or "dichvucong.gov.vn"
    if page is None:
        return Outcome(False, "Chưa có trang Thủ tục hành chính.")
    if host not in page_raw(page) and host not in page_text(page):
        return Outcome(False, f"Trang Thủ tục hành chính chưa liên kết tới {host}.", page_edit_url(page))
    return Outcome(True)


@check("english_pages")
def english_pages(ctx, rule):
    _need_portal(ctx)
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code="en").first()
    lacks = []
    for slugs, label in ((("gioi-thieu", "chuc-nang-nhiem-vu"), "chức năng, nhiệm vụ"),
                         (("gioi-thieu", "co-cau-to-chuc"), "cơ cấu tổ chức"),
                         (("gioi-thieu", "can-bo-dau-moi"), "cán bộ đầu mối")):
        page = ctx.find(*slugs)
        translation = page.get_translation_or_none(locale) if page is not None and locale else None
        if translation is None or not translation.live:
            lacks.append(label)
    if lacks:
        return Outcome(False, "Chưa có bản tiếng Anh: " + ", ".join(lacks) + ".")
    return Outcome(True)


@check("documents_timely")
def documents_timely(ctx, rule):
    _need_portal(ctx)
    from cong.content.models import DocumentPage
    from cong.core.calendar import working_days_between

    limit, since = rule.options["working_days"], ctx.day - dt.timedelta(days=rule.options["days"])
    late = []
    rows = (DocumentPage.objects.live().descendant_of(ctx.root).filter(issued_on__gte=since)
            .values_list("title", "issued_on", "first_published_at"))
    for title, issued, posted in rows:
        if posted and working_days_between(issued, timezone.localtime(posted).date()) > limit:
            late.append(title)
    gazette_late = 0
    if apps.is_installed("cong.gazette"):
        late_count = _optional_selector("gazette", "late_postings_count")
        gazette_late = int(late_count(ctx.unit, since, ctx.day))
    if late or gazette_late:
        total = len(late) + gazette_late
        example = f"; ví dụ «{late[0]}»" if late else ""
        return Outcome(False, f"{total} văn bản đăng quá {limit} ngày làm việc sau ngày ban hành{example}.")
    return Outcome(True)


@check("answers_timely")
def answers_timely(ctx, rule):
    _need_portal(ctx)
    overdue = _optional_selector("engagement", "overdue_questions_count")
    n = int(overdue(ctx.unit, ctx.day))
    if n:
        return Outcome(False, f"{n} câu hỏi quá hạn trả lời.")
    return Outcome(True)


@check("operating_regulation")
def operating_regulation(ctx, rule):
    _need_portal(ctx)
    from wagtail.models import Page

    ids = [pk for pk, title, _ in ctx.live_titles()
           if "quy che" in title and ("van hanh" in title or "cung cap thong tin" in title)]
    if not ids:
        return Outcome(False, "Chưa đăng Quy chế quản lý, vận hành và cung cấp thông tin của cổng.")
    for page in Page.objects.filter(pk__in=ids).specific():
        text = fold(page_text(page)).lower()
        if "su co" in text and "vi pham" in text:
            return Outcome(True)
    page = Page.objects.get(pk=ids[0])
    return Outcome(False, "Quy chế chưa có quy trình xử lý sự cố và xử lý thông tin vi phạm.",
                   page_edit_url(page))


@check("maintenance_notice")
def maintenance_notice(ctx, rule):
    _need_portal(ctx)
    from cong.core.calendar import working_days_between

    from .models import MaintenanceNotice

    need = rule.options["working_days"]
    window_start = ctx.now - dt.timedelta(days=90)
    notices = MaintenanceNotice.objects.filter(portal=ctx.portal, starts_at__gte=window_start)
    late = []
    for n in notices:
        if n.force_majeure:
            continue
        ahead = working_days_between(timezone.localtime(n.announced_at).date(),
                                     timezone.localtime(n.starts_at).date())
        if ahead < need:
            late.append((n, ahead))
    if late:
        n, ahead = late[0]
        return Outcome(
            False,
            f"Tạm ngừng ngày {timezone.localtime(n.starts_at):%d/%m/%Y} chỉ được thông báo trước "
            f"{ahead} ngày làm việc (cần ít nhất {need}).",
            admin_url("compliance_maintenance:edit", n.pk),
        )
    return Outcome(True)


# --- Layout and technical ------------------------------------------------------


@check("header")
def header(ctx, rule):
    home = ctx.home()
    head = home.soup.find("header")
    if head is None:
        return Outcome(False, "Trang chủ không có phần đầu trang (<header>).")
    lacks = []
    if head.find("img") is None and head.find("svg") is None:
        lacks.append("Quốc huy hoặc biểu trưng")
    text = head.get_text(" ", strip=True)
    if ctx.portal is not None:
        name = ctx.portal_settings().portal_name or ctx.unit.name
        if fold(name).lower() not in fold(text).lower():
            lacks.append("tên đầy đủ của cơ quan")
    elif len(text) < 10:
        lacks.append("tên đầy đủ của cơ quan")
    if lacks:
        return Outcome(False, "Đầu trang thiếu: " + ", ".join(lacks) + ".",
                       settings_url(ctx) if ctx.portal else "")
    return Outcome(True)


@check("menu")
def menu(ctx, rule):
    home = ctx.home()
    navs = home.soup.find_all("nav") or [home.soup]
    links = []
    for nav in navs:
        for a in nav.find_all("a", href=True):
            links.append((a["href"], fold(a.get_text(" ", strip=True)).lower()))
    lacks = []
    if not any(urlsplit(ctx.fetcher.absolute(h)).path in ("", "/") or "trang chu" in t for h, t in links):
        lacks.append("Trang chủ")
    if not any("gioi thieu" in t for _, t in links):
        lacks.append("Giới thiệu")
    if not any("dich vu cong" in t or "thu tuc hanh chinh" in t for _, t in links):
        lacks.append("Dịch vụ công trực tuyến / Thủ tục hành chính")
    if ctx.link_by_text(home, "so do") is None:
        lacks.append("Sơ đồ cổng")
    if lacks:
        return Outcome(False, "Menu thiếu: " + ", ".join(lacks) + ".")
    return Outcome(True)


@check("footer")
def footer(ctx, rule):
    home = ctx.home()
    foot = home.soup.find("footer")
    if foot is None:
        return Outcome(False, "Trang chủ không có chân trang (<footer>).",
                       settings_url(ctx) if ctx.portal else "")
    text = foot.get_text(" ", strip=True)
    folded = fold(text).lower()
    lacks = [label for needle, label in (
        ("co quan chu quan", "cơ quan chủ quản"), ("chiu trach nhiem", "người chịu trách nhiệm"),
        ("dia chi", "địa chỉ"),
    ) if needle not in folded]
    if not PHONE_RE.search(text):
        lacks.append("điện thoại")
    if not EMAIL_RE.search(text):
        lacks.append("thư điện tử")
    if lacks:
        return Outcome(False, "Chân trang thiếu: " + ", ".join(lacks) + ".",
                       settings_url(ctx) if ctx.portal else "")
    return Outcome(True)


@check("sitemaps")
def sitemaps(ctx, rule):
    from lxml import etree

    home = ctx.home()
    lacks = []
    href = ctx.link_by_text(home, "so do cong", "so do trang", "so do website", "sitemap")
    if href is None:
        lacks.append("liên kết Sơ đồ cổng")
    else:
        page = ctx.page(urlsplit(ctx.fetcher.absolute(href)).path)
        if not page.ok or len(page.soup.find_all("a")) < 5:
            lacks.append("trang Sơ đồ cổng")
    xml = ctx.page("/sitemap.xml")
    ok = False
    if xml.ok:
        try:
            root = etree.fromstring(xml.text.encode())
            ok = etree.QName(root).localname in ("urlset", "sitemapindex") and any(
                etree.QName(el).localname == "loc" for el in root.iter()
            )
        except etree.XMLSyntaxError:
            ok = False
    if not ok:
        lacks.append("tệp sitemap.xml hợp lệ")
    if lacks:
        return Outcome(False, "Thiếu: " + ", ".join(lacks) + ".")
    return Outcome(True)


@check("search")
def search(ctx, rule):
    home = ctx.home()
    form = home.soup.find("form", attrs={"role": "search"})
    field_ = home.soup.find("input", attrs={"type": "search"})
    if form is None and field_ is not None:
        form = field_.find_parent("form")
    if form is None:
        return Outcome(False, "Không có ô tìm kiếm trên trang chủ.")
    action = form.get("action") or "/"
    name = (form.find("input", attrs={"type": "search"}) or form.find("input", attrs={"name": True}) or {}).get("name", "q")
    result = ctx.page(f"{urlsplit(ctx.fetcher.absolute(action)).path}?{name}=thong+tin")
    if not result.ok:
        return Outcome(False, f"Trang kết quả tìm kiếm trả về mã {result.status}.")
    return Outcome(True)


@check("print_save")
def print_save(ctx, rule):
    path = ctx.article_path()
    if path is None:
        raise NotApplicable("Chưa có tin bài để kiểm tra.")
    page = ctx.page(path)
    if not page.ok:
        raise Unavailable(f"Trang tin bài {path} trả về mã {page.status}.")
    controls = [fold(el.get_text(" ", strip=True)).lower() + " " + " ".join(el.get("class", []))
                for el in page.soup.find_all(["button", "a"])]
    lacks = []
    if not any("print" in c or c.startswith("in ") for c in controls):
        lacks.append("in")
    if not any("luu" in c or "save" in c or "pdf" in c for c in controls):
        lacks.append("lưu")
    if lacks:
        return Outcome(False, f"Trang tin bài thiếu chức năng: {', '.join(lacks)}.")
    return Outcome(True)


@check("security_headers")
def security_headers(ctx, rule):
    home = ctx.home()
    lacks = []
    if home.header("x-content-type-options").lower() != "nosniff":
        lacks.append("X-Content-Type-Options: nosniff")
    if not home.header("content-security-policy"):
        lacks.append("Content-Security-Policy")
    if not home.header("referrer-policy"):
        lacks.append("Referrer-Policy")
    if not home.header("strict-transport-security"):
        lacks.append("Strict-Transport-Security (HSTS)")
    plain = ctx.page("/", secure=False)
    if not (plain.status in (301, 302, 307, 308) and plain.location.startswith("https://")):
        lacks.append("chuyển hướng http → https")
    if ctx.fetcher.scheme != "https":
        lacks.append("HTTPS")
    if lacks:
        return Outcome(False, "Thiếu: " + ", ".join(lacks) + ".")
    return Outcome(True)


def _scripts(page: Fetched) -> list[str]:
    return [s["src"] for s in page.soup.find_all("script", src=True)]


@check("emc_code")
def emc_code(ctx, rule):
    from cong.units.emc import allowed_host

    home = ctx.home()
    srcs = _scripts(home)
    if ctx.portal is not None:
        ps = ctx.portal_settings()
        if not ps.emc_snippet:
            return Outcome(False, "Chưa nhập mã giám sát EMC.", settings_url(ctx))
        emc = ps.emc
        if emc is None:
            return Outcome(False, "Mã giám sát EMC không hợp lệ.", settings_url(ctx))
        if emc.src not in srcs:
            return Outcome(False, "Mã giám sát EMC không xuất hiện trên trang.", settings_url(ctx))
        return Outcome(True)
    if not any(allowed_host(urlsplit(s).hostname or "") and not ctx.fetcher.same_site(s) for s in srcs):
        return Outcome(False, "Không thấy mã giám sát EMC (script từ máy chủ .gov.vn) trên trang chủ.")
    return Outcome(True)


@check("trust_badge")
def trust_badge(ctx, rule):
    from .selectors import trust_label_for

    home = ctx.home()
    badge = next((a for a in home.soup.find_all("a", href=True) if "tinnhiemmang" in a["href"]), None)
    portal = ctx.portal
    if portal is None:
        from cong.units.models import Portal

        portal = Portal.objects.filter(site__hostname=ctx.fetcher.host).select_related("unit").first()
    label = trust_label_for(portal.unit, ctx.day) if portal is not None else None
    add = admin_url("compliance_trustlabel:add") if portal is not None else ""
    if portal is not None and label is None:
        return Outcome(False, "Không có chứng nhận Tín nhiệm mạng còn hiệu lực trong sổ.", add)
    if label is not None and label.domain and label.domain.lower() != ctx.fetcher.host:
        return Outcome(False, f"Chứng nhận {label.certificate} cấp cho {label.domain}, không phải {ctx.fetcher.host}.", add)
    if badge is None:
        return Outcome(False, "Chân trang không có huy hiệu Tín nhiệm mạng liên kết tới tinnhiemmang.vn.", add)
    if label is not None and label.certificate_url and badge["href"] != label.certificate_url:
        return Outcome(False, "Huy hiệu liên kết tới trang chứng nhận khác với sổ.", add)
    return Outcome(True)


@check("privacy_page")
def privacy_page(ctx, rule):
    home = ctx.home()
    href = ctx.link_by_text(home, "du lieu ca nhan", "quyen rieng tu", "chinh sach bao mat")
    if href is None:
        return Outcome(False, "Không có liên kết tới chính sách bảo vệ dữ liệu cá nhân.")
    page = ctx.page(urlsplit(ctx.fetcher.absolute(href)).path)
    if not page.ok:
        return Outcome(False, f"Trang chính sách bảo vệ dữ liệu cá nhân trả về mã {page.status}.")
    main = page.soup.find("main") or page.soup
    if len(main.get_text(" ", strip=True)) < 200:
        fix = ""
        if ctx.portal is not None:
            target = ctx.section("chinh-sach-bao-ve-du-lieu-ca-nhan")
            fix = page_edit_url(target)
        return Outcome(False, "Trang chính sách bảo vệ dữ liệu cá nhân chưa có nội dung.", fix)
    return Outcome(True)


@check("no_third_party_scripts")
def no_third_party_scripts(ctx, rule):
    from cong.units.emc import allowed_host

    pages = [ctx.home()]
    path = ctx.article_path()
    if path:
        pages.append(ctx.page(path))
    foreign = set()
    for page in pages:
        for src in _scripts(page):
            host = urlsplit(ctx.fetcher.absolute(src)).hostname or ""
            if host != ctx.fetcher.host and not allowed_host(host):
                foreign.add(host)
    if foreign:
        return Outcome(False, "Có mã của bên thứ ba từ: " + ", ".join(sorted(foreign)) + ".")
    return Outcome(True)


@check("accessibility")
def accessibility(ctx, rule):
    from .a11y import A11yUnavailable, scan_sample

    try:
        findings = scan_sample(ctx)
    except A11yUnavailable as exc:
        raise Unavailable(str(exc)) from exc
    if findings:
        shown = "; ".join(f"{f['path']}: {f['id']} ({f['impact']}, {f['nodes']} phần tử)" for f in findings[:6])
        return Outcome(False, f"{len(findings)} lỗi tiếp cận nghiêm trọng: {shown}.")
    return Outcome(True)
