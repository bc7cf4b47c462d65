from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    """The kinds of information item the quarterly report counts."""

    ARTICLE = "article", _("Tin bài")
    DOCUMENT = "document", _("Văn bản")
    VIDEO = "video", _("Video")
    INFOGRAPHIC = "infographic", _("Infographic")
    BANNER = "banner", _("Banner")
    POLICY = "policy", _("Truyền thông chính sách")


class BannerPlacement(models.TextChoices):
    HOME_TOP = "home_top", _("Đầu trang chủ")
    HOME_SIDE = "home_side", _("Cột bên trang chủ")
    FOOTER = "footer", _("Chân trang")
