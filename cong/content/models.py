from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import AttachmentBlock, BodyBlock, FigureBlock
from .choices import BannerPlacement, ItemType

LIST_PAGE_SIZE = 15


class Category(models.Model):
    """One category of the province's taxonomy; every item has exactly one."""

    name = models.CharField(_("tên"), max_length=255)
    slug = models.SlugField(_("mã"), max_length=64, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)
    spread_zalo_default = models.BooleanField(_("mặc định lan tỏa lên Zalo"), default=False)
    spread_facebook_default = models.BooleanField(_("mặc định lan tỏa lên Facebook"), default=False)

    panels = [
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order"),
        FieldPanel("spread_zalo_default"), FieldPanel("spread_facebook_default"),
    ]

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
    featured = StreamField(
        [("item", blocks.PageChooserBlock(label=_("Tin nổi bật"), page_type="content.ItemPage"))],
        verbose_name=_("tin nổi bật"), blank=True, max_num=5,
    )
    show_network = models.BooleanField(
        _("hiện danh sách cổng trong mạng"), default=True,
        help_text=_("Liệt kê cổng của các sở, ngành, địa phương ở trang chủ."),
    )

    content_panels = [
        *Page.content_panels, FieldPanel("intro"), FieldPanel("featured"), FieldPanel("show_network"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    # Any page type whose parent_page_types names HomePage may sit under it:
    # apps add their section pages (gazette register, Q&A…) that way.
    subpage_types = None

    class Meta:
        verbose_name = _("trang chủ cổng")
        verbose_name_plural = _("trang chủ cổng")

    def get_context(self, request, *args, **kwargs):
        from cong.units.selectors import network_portals

        from .selectors import banners_active, card, items_latest_cards

        context = super().get_context(request, *args, **kwargs)
        context["latest_items"] = items_latest_cards(root=self, limit=9)
        context["featured_items"] = [
            card(block.value.specific, self.url_path)
            for block in self.featured
            if block.value is not None and block.value.live
        ]
        context["banners"] = banners_active(home=self)
        if self.show_network:
            context["network"] = network_portals()
        return context


class CountCachedPaginator(Paginator):
    """A paginator whose total (a COUNT over every item of a section, the
    slowest query of a list page on a large portal) is cached until content
    changes: the key carries the ``content`` cache version, bumped in the
    transaction of every publish and unpublish."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        from django.core.cache import cache

        from cong.core import cache_version

        key = f"{self.count_key}:v{cache_version.current(cache_version.CONTENT)}"
        value = cache.get(key)
        if value is None:
            value = super().count
            cache.set(key, value, 24 * 3600)
        return value


class SectionPage(RoutablePageMixin, Page):
    """A section of the portal that lists the items under it, newest first,
    with filters, and its RSS feed at ``rss/``."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["content.HomePage", "content.SectionPage", "content.StandardPage"]
    subpage_types = [
        "content.ArticlePage", "content.DocumentPage", "content.VideoPage",
        "content.InfographicPage", "content.BannerPage", "content.PolicyPage",
        "content.SectionPage", "content.StandardPage",
    ]

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def get_context(self, request, *args, **kwargs):
        from .forms import ItemFilterForm
        from .selectors import items_in_section, subsections

        context = super().get_context(request, *args, **kwargs)
        form = ItemFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        items = items_in_section(
            section=self, item_type=filters.get("loai") or None,
            category=filters.get("chuyen_muc") or None,
            date_from=filters.get("tu_ngay"), date_to=filters.get("den_ngay"),
        )
        paginator = CountCachedPaginator(
            items, LIST_PAGE_SIZE,
            count_key=f"section-count:{self.pk}:{sorted((k, str(v)) for k, v in filters.items() if v)}",
        )
        try:
            page_obj = paginator.page(request.GET.get("trang", 1))
        except (PageNotAnInteger, EmptyPage):
            page_obj = paginator.page(1)
        context["page_obj"] = page_obj
        context["filter_form"] = form
        context["query_prefix"] = form.query_prefix() if form.is_bound else ""
        context["subsections"] = subsections(self)
        return context

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import SectionFeed

        return SectionFeed(self)(request)


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
        from .selectors import public

        context["children"] = public(self.get_children().live()).specific()
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
    """A free topic of an item: an event, a programme (e.g. a business forum)."""

    content_object = ParentalKey(
        "content.ItemPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ItemPage(Page):
    """What every information item shares, in one table, so that lists,
    search and the report's counts read one place whatever the item's type.

    Not created directly: each type below is a subclass.
    """

    ITEM_TYPE = ""

    item_type = models.CharField(
        _("loại thông tin"), max_length=16, choices=ItemType.choices, editable=False,
        db_index=True,
    )
    summary = models.TextField(_("sapo / tóm tắt"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục thông tin"), on_delete=models.PROTECT,
        related_name="items",
    )
    featured_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh đại diện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    author = models.CharField(_("tác giả"), max_length=255, blank=True)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    topics = ClusterTaggableManager(
        verbose_name=_("chủ đề"), through=ItemTopic, blank=True,
        help_text=_("Sự kiện, chương trình… ví dụ: Diễn đàn doanh nghiệp EuroCham 2024."),
    )
    legacy_url = models.CharField(
        _("địa chỉ trên cổng cũ"), max_length=1024, blank=True, db_index=True,
        help_text=_("Địa chỉ cũ chuyển hướng vĩnh viễn về trang này."),
    )
    # "Spread to" a social channel when published: None follows the category.
    spread_zalo = models.BooleanField(
        _("lan tỏa lên Zalo"), null=True, blank=True, default=None,
        help_text=_("Để trống: theo mặc định của chuyên mục."),
    )
    spread_facebook = models.BooleanField(
        _("lan tỏa lên Facebook"), null=True, blank=True, default=None,
        help_text=_("Để trống: theo mặc định của chuyên mục."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_folded"),
        index.FilterField("item_type"),
        index.FilterField("category"),
        index.FilterField("path"),
        index.FilterField("first_published_at"),
        index.FilterField("live"),
    ]
    classification_panels = [
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("topics"), FieldPanel("author"), FieldPanel("source")],
            heading=_("Phân loại và nguồn"),
        ),
    ]
    promote_panels = [
        *Page.promote_panels, FieldPanel("legacy_url"),
        MultiFieldPanel([FieldPanel("spread_zalo"), FieldPanel("spread_facebook")],
                        heading=_("Lan tỏa trên mạng xã hội")),
    ]
    is_creatable = False
    parent_page_types = ["content.SectionPage"]
    subpage_types = []
    # loaded with the item when it is served (content.routing): every item page shows them
    route_select_related = ("category", "featured_image")

    class Meta:
        verbose_name = _("thông tin")
        verbose_name_plural = _("thông tin")
        indexes = [models.Index(fields=["item_type", "category"])]

    def save(self, *args, **kwargs):
        self.item_type = self.ITEM_TYPE or self.item_type
        return super().save(*args, **kwargs)

    def spread_channels(self) -> set[str]:
        """The social channels this item is to be spread to when published."""
        channels = set()
        zalo = self.spread_zalo if self.spread_zalo is not None else self.category.spread_zalo_default
        facebook = (
            self.spread_facebook if self.spread_facebook is not None
            else self.category.spread_facebook_default
        )
        if zalo:
            channels.add("zalo")
        if facebook:
            channels.add("facebook")
        return channels

    def full_text(self) -> str:
        """The item's own text, for search (types add their body)."""
        return " ".join(filter(None, [self.title, self.summary]))

    def search_folded(self) -> str:
        """The text without Vietnamese diacritics (đ → d): "chuyen doi so"
        finds "chuyển đổi số" on every search backend."""
        from .search import fold

        return fold(self.full_text())

    def get_context(self, request, *args, **kwargs):
        from .selectors import items_related

        context = super().get_context(request, *args, **kwargs)
        context["related_items"] = items_related(item=self, limit=5)
        return context


def _stream_text(stream) -> str:
    from django.utils.html import strip_tags

    parts = []
    for block in stream:
        value = block.value
        if hasattr(value, "source"):  # RichText
            parts.append(strip_tags(value.source))
        elif isinstance(value, str):
            parts.append(value)
        elif hasattr(value, "get"):  # StructValue
            for key in ("text", "caption", "title"):
                if value.get(key):
                    parts.append(str(value.get(key)))
    return " ".join(parts)


class ArticlePage(ItemPage):
    """Tin bài: a news article or any written item."""

    ITEM_TYPE = ItemType.ARTICLE

    body = StreamField(BodyBlock(), verbose_name=_("nội dung"), blank=True)

    content_panels = [
        *Page.content_panels, FieldPanel("summary"), FieldPanel("featured_image"),
        FieldPanel("body"), *ItemPage.classification_panels,
    ]
    search_fields = [*ItemPage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")

    def full_text(self):
        return " ".join([super().full_text(), _stream_text(self.body)])


class DocumentPage(ItemPage):
    """Văn bản: the announcement of an official document, with its files.
    The gazette links its register entry to this page."""

    ITEM_TYPE = ItemType.DOCUMENT

    document_number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("nội dung"), blank=True)
    files = StreamField(
        [("file", AttachmentBlock())], verbose_name=_("tệp văn bản"), blank=True,
    )

    content_panels = [
        *Page.content_panels, FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document_number"), FieldPanel("issued_on"), FieldPanel("issuer_name")],
            heading=_("Thông tin văn bản"),
        ),
        FieldPanel("files"), FieldPanel("body"), *ItemPage.classification_panels,
    ]
    search_fields = [*ItemPage.search_fields, index.SearchField("document_number"), index.SearchField("body")]
    parent_page_types = None  # the "van-ban" section may be a register page of the gazette

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")

    def full_text(self):
        return " ".join([super().full_text(), self.document_number, _stream_text(self.body)])


class VideoPage(ItemPage):
    """A video played from the portal (MP4/WebM with a poster and captions),
    or an external video that loads only after the reader asks for it."""

    ITEM_TYPE = ItemType.VIDEO

    video_file = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("tệp video (MP4, WebM)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("phụ đề (WebVTT)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    external_url = models.URLField(
        _("hoặc địa chỉ video bên ngoài"), blank=True,
        help_text=_("YouTube… chỉ tải khi người xem bấm xem."),
    )
    transcript = models.TextField(_("lời thoại / mô tả"), blank=True)

    content_panels = [
        *Page.content_panels, FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("video_file"), FieldPanel("featured_image", heading=_("ảnh bìa (poster)")),
             FieldPanel("captions"), FieldPanel("external_url")],
            heading=_("Video"),
        ),
        FieldPanel("transcript"), *ItemPage.classification_panels,
    ]
    search_fields = [*ItemPage.search_fields, index.SearchField("transcript")]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("video")

    def clean(self):
        super().clean()
        # A video imported from an old portal may come without its media (the
        # records format carries text only); editors add it before republishing.
        imported = getattr(self, "_imported", False)
        if not self.video_file_id and not self.external_url and not imported:
            raise ValidationError(_("Chọn tệp video hoặc nhập địa chỉ video bên ngoài."))
        if self.video_file_id:
            ext = self.video_file.file_extension.lower()
            if ext not in ("mp4", "webm"):
                raise ValidationError({"video_file": _("Tệp video phải là MP4 hoặc WebM.")})
        if self.captions_id and self.captions.file_extension.lower() != "vtt":
            raise ValidationError({"captions": _("Phụ đề phải là tệp WebVTT (.vtt).")})

    def full_text(self):
        return " ".join([super().full_text(), self.transcript])

    @property
    def embed_url(self) -> str:
        """A privacy-friendly embed address for YouTube links."""
        from .embeds import youtube_embed_url

        return youtube_embed_url(self.external_url)


class InfographicPage(ItemPage):
    """Images with required alternative text and a long description for
    readers who cannot see them (WCAG 2.1 1.1.1)."""

    ITEM_TYPE = ItemType.INFOGRAPHIC

    images = StreamField(
        [("image", FigureBlock())], verbose_name=_("ảnh infographic"), min_num=1,
    )
    long_description = RichTextField(
        _("mô tả đầy đủ cho người đọc màn hình"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
    )

    content_panels = [
        *Page.content_panels, FieldPanel("summary"), FieldPanel("images"),
        FieldPanel("long_description"), *ItemPage.classification_panels,
    ]
    search_fields = [*ItemPage.search_fields, index.SearchField("long_description")]

    class Meta:
        verbose_name = _("infographic")
        verbose_name_plural = _("infographic")

    def full_text(self):
        from django.utils.html import strip_tags

        return " ".join([super().full_text(), strip_tags(self.long_description or "")])


class BannerPage(ItemPage):
    """A banner: an image or a text with a link, in a placement, shown only
    within its display window."""

    ITEM_TYPE = ItemType.BANNER

    text = models.CharField(_("nội dung chữ"), max_length=255, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("liên kết tới trang"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    link_url = models.URLField(_("hoặc liên kết ngoài"), blank=True)
    placement = models.CharField(
        _("vị trí"), max_length=16, choices=BannerPlacement.choices,
        default=BannerPlacement.HOME_TOP,
    )
    display_from = models.DateTimeField(_("hiện từ"))
    display_until = models.DateTimeField(_("hiện đến"), null=True, blank=True)

    content_panels = [
        *Page.content_panels, FieldPanel("featured_image", heading=_("ảnh banner")),
        FieldPanel("text"), FieldPanel("link_page"), FieldPanel("link_url"),
        FieldPanel("placement"), FieldPanel("display_from"), FieldPanel("display_until"),
        *ItemPage.classification_panels,
    ]

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banner")

    def clean(self):
        super().clean()
        if not self.featured_image_id and not self.text:
            raise ValidationError(_("Banner cần ảnh hoặc nội dung chữ."))
        if self.display_until and self.display_until <= self.display_from:
            raise ValidationError({"display_until": _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")})

    @property
    def target_url(self) -> str:
        if self.link_page_id:
            return self.link_page.url or ""
        return self.link_url

    def full_text(self):
        return " ".join([super().full_text(), self.text])


class PolicyLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Trang trên cổng"), required=False)
    url = blocks.URLBlock(label=_("Hoặc địa chỉ"), required=False)
    label = blocks.CharBlock(label=_("Tên hiển thị"))

    class Meta:
        icon = "link"
        label = _("Liên kết")


class PolicyPage(ItemPage):
    """Truyền thông chính sách: a plain-language explanation of a policy —
    what changes, for whom, from when, what to do — linked to the documents
    and consultations behind it."""

    ITEM_TYPE = ItemType.POLICY

    what_changes = RichTextField(_("điều gì thay đổi"), features=["bold", "italic", "ol", "ul", "link"])
    who_is_affected = models.TextField(_("áp dụng cho ai"))
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    what_to_do = RichTextField(_("người dân, doanh nghiệp cần làm gì"), features=["bold", "italic", "ol", "ul", "link"])
    legal_basis = StreamField(
        [("link", PolicyLinkBlock())], verbose_name=_("văn bản liên quan"), blank=True,
    )
    consultations = StreamField(
        [("link", PolicyLinkBlock())], verbose_name=_("lấy ý kiến, dự thảo liên quan"), blank=True,
    )

    content_panels = [
        *Page.content_panels, FieldPanel("summary"), FieldPanel("featured_image"),
        FieldPanel("what_changes"), FieldPanel("who_is_affected"), FieldPanel("effective_from"),
        FieldPanel("what_to_do"), FieldPanel("legal_basis"), FieldPanel("consultations"),
        *ItemPage.classification_panels,
    ]
    search_fields = [
        *ItemPage.search_fields, index.SearchField("what_changes"), index.SearchField("what_to_do"),
        index.SearchField("who_is_affected"),
    ]

    class Meta:
        verbose_name = _("truyền thông chính sách")
        verbose_name_plural = _("truyền thông chính sách")

    def full_text(self):
        from django.utils.html import strip_tags

        return " ".join([
            super().full_text(), strip_tags(self.what_changes or ""), self.who_is_affected,
            strip_tags(self.what_to_do or ""),
        ])


ITEM_MODELS = (ArticlePage, DocumentPage, VideoPage, InfographicPage, BannerPage, PolicyPage)
