from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index

from cong.core.models import TimeStampedModel

from .choices import BoardRole, OfficialRole, UnitType
from .emc import EmcSnippet, parse_emc_snippet


class Unit(TimeStampedModel):
    """A government agency of the province: the province itself, a department,
    a district (before July 2025), a commune or ward, or another body."""

    code = models.SlugField(
        _("mã đơn vị"), max_length=64, unique=True,
        help_text=_("Chữ thường, không dấu; dùng trong địa chỉ thử nghiệm <mã>.localhost."),
    )
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    unit_type = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    official_code = models.CharField(
        _("mã định danh điện tử"), max_length=32, blank=True,
        help_text=_("Mã định danh của cơ quan, ví dụ 000.00.12.H10."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=64, blank=True)
    fax = models.CharField(_("fax"), max_length=64, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("sáp nhập vào"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_units",
    )
    merged_on = models.DateField(_("ngày sáp nhập"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["unit_type", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="units_unit_parent_not_self"
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("id")), name="units_unit_successor_not_self"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_short_name(self):
        return self.short_name or self.name

    def ancestors(self):
        """The chain of parents, nearest first."""
        seen = set()
        node = self.parent
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            yield node
            node = node.parent

    def final_successor(self):
        """Follow the merge chain to the unit that holds this one's duties now."""
        node, seen = self, set()
        while node.successor_id and node.pk not in seen:
            seen.add(node.pk)
            node = node.successor
        return node


class Portal(TimeStampedModel):
    """The e-information portal of one unit: a Wagtail Site with its own page
    tree, media collection and editorial board."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="portal"
    )
    site = models.OneToOneField(
        "wagtailcore.Site", verbose_name=_("trang"), on_delete=models.PROTECT,
        related_name="portal",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", verbose_name=_("thư mục tư liệu"),
        on_delete=models.PROTECT, related_name="portal",
    )
    launched_on = models.DateField(_("ngày khai trương"), null=True, blank=True)

    class Meta:
        verbose_name = _("cổng thông tin")
        verbose_name_plural = _("cổng thông tin")
        ordering = ["unit__unit_type", "unit__name"]

    def __str__(self):
        return f"{self.unit.name} ({self.site.hostname})"

    @property
    def hostname(self):
        return self.site.hostname

    @property
    def root_page(self):
        return self.site.root_page

    def base_url(self):
        return self.site.root_url


class PortalGroup(models.Model):
    """The Wagtail group that carries one board role on one portal."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="groups")
    role = models.CharField(max_length=20, choices=BoardRole.choices)
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="portal_role")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "role"], name="units_portalgroup_role")
        ]

    def __str__(self):
        return self.group.name


class BoardMembership(TimeStampedModel):
    """A member of a portal's editorial board, appointed by a decision."""

    portal = models.ForeignKey(
        Portal, verbose_name=_("cổng"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.PROTECT,
        related_name="board_memberships",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=BoardRole.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên Ban Biên tập")
        verbose_name_plural = _("thành viên Ban Biên tập")
        ordering = ["portal", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "user", "role"], condition=Q(ended_on__isnull=True),
                name="units_boardmembership_one_active_role",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.portal.unit.short_name or self.portal.unit.name})"

    @property
    def is_active(self):
        return self.ended_on is None


class PortalPathRedirect(models.Model):
    """Where an address of a merged unit's portal now lives."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="path_redirects")
    old_path = models.CharField(_("đường dẫn cũ"), max_length=512)
    target_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("trang đích"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    target_url = models.CharField(_("địa chỉ đích"), max_length=512, blank=True)

    class Meta:
        verbose_name = _("chuyển hướng sau sáp nhập")
        verbose_name_plural = _("chuyển hướng sau sáp nhập")
        constraints = [
            models.UniqueConstraint(fields=["portal", "old_path"], name="units_pathredirect_unique")
        ]

    def __str__(self):
        return self.old_path

    def clean(self):
        if not self.target_page_id and not self.target_url:
            raise ValidationError(_("Chọn trang đích hoặc nhập địa chỉ đích."))

    def destination(self):
        if self.target_page_id:
            return self.target_page.full_url
        return self.target_url


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """What the header and footer of a portal show (Circular 22/2023 App. I)."""

    portal_name = models.CharField(
        _("tên cổng"), max_length=255, blank=True,
        help_text=_("Ví dụ: Cổng Thông tin điện tử tỉnh Bình Phước."),
    )
    emblem = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("quốc huy hoặc biểu trưng"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    governing_body = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    responsible_person = models.CharField(
        _("người chịu trách nhiệm chính"), max_length=255, blank=True
    )
    responsible_title = models.CharField(_("chức vụ người chịu trách nhiệm"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=64, blank=True)
    fax = models.CharField(_("fax"), max_length=64, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    licence_line = models.CharField(
        _("giấy phép"), max_length=255, blank=True,
        help_text=_("Ví dụ: Giấy phép số 12/GP-TTĐT ngày 5/3/2020 của Sở TT&TT."),
    )
    emc_snippet = models.TextField(
        _("mã giám sát EMC"), blank=True,
        help_text=_("Dán đoạn mã <script src=\"https://…\"> do Hệ thống EMC cấp."),
    )
    trust_badge_url = models.URLField(
        _("địa chỉ chứng nhận Tín nhiệm mạng"), blank=True,
        help_text=_("Trang chứng nhận của cổng trên tinnhiemmang.vn."),
    )
    facebook_url = models.URLField(_("Facebook"), blank=True)
    zalo_url = models.URLField(_("Zalo"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("portal_name"), FieldPanel("emblem"), FieldPanel("governing_body")],
            heading=_("Đầu trang"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("responsible_person"), FieldPanel("responsible_title"),
                FieldPanel("address"), FieldPanel("phone"), FieldPanel("fax"),
                FieldPanel("email"), FieldPanel("licence_line"),
            ],
            heading=_("Chân trang"),
        ),
        MultiFieldPanel(
            [FieldPanel("emc_snippet"), FieldPanel("trust_badge_url")],
            heading=_("Giám sát và tín nhiệm"),
        ),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("zalo_url"), FieldPanel("youtube_url")],
            heading=_("Mạng xã hội"),
        ),
    ]

    class Meta:
        verbose_name = _("cài đặt cổng")
        verbose_name_plural = _("cài đặt cổng")

    def clean(self):
        super().clean()
        if self.emc_snippet:
            try:
                parse_emc_snippet(self.emc_snippet)
            except ValueError as exc:
                raise ValidationError({"emc_snippet": str(exc)}) from exc

    @property
    def emc(self) -> EmcSnippet | None:
        if not self.emc_snippet:
            return None
        try:
            return parse_emc_snippet(self.emc_snippet)
        except ValueError:
            return None


class Official(index.Indexed, TimeStampedModel):
    """A leader or contact official of a unit, shown on its portal
    (Decree 42/2022 Art. 4(1)(e): name, title, unit, phone, official e-mail)."""

    portal = models.ForeignKey(
        Portal, verbose_name=_("cổng"), on_delete=models.CASCADE, related_name="officials"
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=OfficialRole.choices)
    name = models.CharField(_("họ và tên"), max_length=255)
    title = models.CharField(_("chức vụ"), max_length=255)
    department = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=64, blank=True)
    email = models.EmailField(_("thư điện tử công vụ"), blank=True)
    duties = models.TextField(_("nhiệm vụ được phân công"), blank=True)
    biography = models.TextField(_("tóm tắt tiểu sử"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    panels = [
        FieldPanel("portal"), FieldPanel("role"), FieldPanel("name"), FieldPanel("title"),
        FieldPanel("department"), FieldPanel("phone"), FieldPanel("email"),
        FieldPanel("duties"), FieldPanel("biography"), FieldPanel("photo"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("title"), index.FilterField("portal")]

    class Meta:
        verbose_name = _("cán bộ lãnh đạo, đầu mối")
        verbose_name_plural = _("cán bộ lãnh đạo, đầu mối")
        ordering = ["portal", "role", "sort_order", "name"]

    def __str__(self):
        return f"{self.name} — {self.title}"


def _register_scoped():
    from .permissions import register_portal_scoped

    register_portal_scoped(Official)
    register_portal_scoped(BoardMembership)
    register_portal_scoped(PortalPathRedirect)
    register_portal_scoped(Portal, "self")
