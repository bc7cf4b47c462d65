from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    OTHER = "other", _("Đơn vị khác")


class BoardRole(models.TextChoices):
    """Roles of an editorial board (Ban Biên tập), most senior first."""

    CHIEF = "truong_ban", _("Trưởng ban")
    DEPUTY = "pho_truong_ban", _("Phó Trưởng ban")
    SECRETARY = "thu_ky", _("Thư ký")
    EDITOR = "bien_tap_vien", _("Biên tập viên")
    CONTRIBUTOR = "cong_tac_vien", _("Cộng tác viên")


LEADER_ROLES = (BoardRole.CHIEF, BoardRole.DEPUTY)


class OfficialRole(models.TextChoices):
    LEADER = "leader", _("Lãnh đạo")
    CONTACT = "contact", _("Cán bộ đầu mối")
    SPOKESPERSON = "spokesperson", _("Người phát ngôn")
