from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock

LIST_PAGE_SIZE = 15


class Category(models.Model):
    """One category of the province's taxonomy; every item has exactly one."""

    name = models.CharField(_("tên"), max_length=255)
    slug = models.SlugField(_("mã"), max_length=64, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("chuyên mục thông tin")
        verbose_name_plural = _("chuyên mục thông tin")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


# --- Structural pages -------------------------------------------------------


class HomePage(Page):
    """The home page of one portal; the root of its page tree."""

    intro = RichTextField(_("giới thiệu ngắn"), blank=True, features=["bold", "italic", "link"])
    show_network = models.BooleanField(
        _("hiện danh sách cổng trong mạng"), default=True,
        help_text=_("Liệt kê cổng của các sở, ngành, địa phương ở trang chủ."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("show_network")]
    parent_page_types = ["wagtailcore.Page"]
    # Any page type whose parent_page_types names HomePage may sit under it:
    # apps add their section pages (gazette register, Q&A…) that way.
    subpage_types = None

    class Meta:
        verbose_name = _("trang chủ cổng")
        verbose_name_plural = _("trang chủ cổng")

    def get_context(self, request, *args, **kwargs):
        from cong.units.selectors import network_portals

        from .selectors import items_latest_cards

        context = super().get_context(request, *args, **kwargs)
        context["latest_items"] = items_latest_cards(root=self, limit=9)
        if self.show_network:
            context["network"] = network_portals()
        return context


class SectionPage(Page):
    """A section of the portal that lists the items under it, newest first."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["content.HomePage", "content.SectionPage", "content.StandardPage"]
    subpage_types = ["content.ArticlePage", "content.SectionPage", "content.StandardPage"]

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def get_context(self, request, *args, **kwargs):
        from .selectors import items_in_section

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(items_in_section(section=self), LIST_PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("trang", 1))
        except (PageNotAnInteger, EmptyPage):
            page_obj = paginator.page(1)
        context["page_obj"] = page_obj
        context["subsections"] = self.get_children().live().public().in_menu().specific()
        return context


class OfficialsShown(models.TextChoices):
    NONE = "", _("Không")
    LEADERS = "leader", _("Lãnh đạo")
    CONTACTS = "contact", _("Cán bộ đầu mối")


class StandardPage(Page):
    """A page of fixed information (introduction, functions, procedures…)."""

    summary = models.TextField(_("tóm tắt"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("nội dung"), blank=True)
    show_officials = models.CharField(
        _("hiện danh sách cán bộ"), max_length=16, blank=True,
        choices=OfficialsShown.choices, default="",
    )

    content_panels = [
        *Page.content_panels, FieldPanel("summary"), FieldPanel("body"),
        FieldPanel("show_officials"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["content.HomePage", "content.SectionPage", "content.StandardPage"]
    subpage_types = ["content.StandardPage", "content.SectionPage"]

    class Meta:
        verbose_name = _("trang thông tin")
        verbose_name_plural = _("trang thông tin")

    def get_context(self, request, *args, **kwargs):
        from cong.units.selectors import portal_for_site

        context = super().get_context(request, *args, **kwargs)
        if self.show_officials:
            portal = portal_for_site(self.get_site())
            context["officials"] = (
                portal.officials.filter(role=self.show_officials) if portal else []
            )
        context["children"] = self.get_children().live().public().specific()
        return context


class ContactPage(Page):
    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang liên hệ")
        verbose_name_plural = _("trang liên hệ")

    def get_context(self, request, *args, **kwargs):
        from cong.units.selectors import portal_for_site

        context = super().get_context(request, *args, **kwargs)
        portal = portal_for_site(self.get_site())
        context["contacts"] = portal.officials.filter(role="contact") if portal else []
        context["unit"] = portal.unit if portal else None
        return context


class SitemapPage(Page):
    """The HTML site map every portal must offer (Circular 22/2023)."""

    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("sơ đồ cổng")
        verbose_name_plural = _("sơ đồ cổng")

    def get_context(self, request, *args, **kwargs):
        from .selectors import sitemap_tree

        context = super().get_context(request, *args, **kwargs)
        context["tree"] = sitemap_tree(self.get_parent())
        return context


# --- Information items ------------------------------------------------------


class ItemTopic(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ItemPage(Page):
    """What every information item shares: the figures of a report count these."""

    item_type: str = ""

    summary = models.TextField(_("sapo / tóm tắt"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục thông tin"), on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.CharField(_("tác giả"), max_length=255, blank=True)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    legacy_url = models.CharField(
        _("địa chỉ trên cổng cũ"), max_length=1024, blank=True, db_index=True,
        help_text=_("Địa chỉ cũ chuyển hướng vĩnh viễn về trang này."),
    )

    search_fields = [
        *Page.search_fields, index.SearchField("summary"),
        index.FilterField("category"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types = []

    class Meta:
        abstract = True


class ArticlePage(ItemPage):
    """Tin bài: a news article or any written item."""

    item_type = "article"

    body = StreamField(BodyBlock(), verbose_name=_("nội dung"), blank=True)
    featured_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh đại diện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    topics = ClusterTaggableManager(
        verbose_name=_("chủ đề"), through=ItemTopic, blank=True,
        help_text=_("Sự kiện, chương trình… ví dụ: Diễn đàn doanh nghiệp EuroCham 2024."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("featured_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("topics"), FieldPanel("author"), FieldPanel("source")],
            heading=_("Phân loại và nguồn"),
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("legacy_url")]
    search_fields = [*ItemPage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
