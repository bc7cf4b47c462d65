"""Rule packs: each rule names the legal provision it comes from (as
legal-requirements.md states it), the dates it applies between, a severity
and the check that decides it. Packs follow the law as it changes: Decree
42/2022/NĐ-CP until 30/6/2026, Decree 224/2026/NĐ-CP from 1/7/2026; Circular
22/2023/TT-BTTTT, with the predecessor Circular 32/2017/TT-BTTTT as the
baseline where the appendices of Circular 22/2023 are unknown.

Rules are data: a pack that names a check which does not exist yields a
clear message and an incomplete result, never a pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ERROR = "error"
WARNING = "warning"
CONTENT = "content"
LAYOUT = "layout"

DECREE_42_UNTIL = dt.date(2026, 6, 30)
DECREE_224_FROM = dt.date(2026, 7, 1)

# Citations, worded as legal-requirements.md gives them. [H] marks a rule
# taken from a repealed instrument as the default (§0 of that document).
ND42_ART4 = "Nghị định 42/2022/NĐ-CP, Điều 4 khoản 1"
ND42_ART4E = "Nghị định 42/2022/NĐ-CP, Điều 4 khoản 1 điểm e"
ND42_ART7 = "Nghị định 42/2022/NĐ-CP, Điều 7"
ND224_ART9 = "Nghị định 224/2026/NĐ-CP, Điều 9 khoản 1 điểm b–c"
ND224_ART10_3 = "Nghị định 224/2026/NĐ-CP, Điều 10 khoản 3 điểm c"
ND224_ART11_3 = "Nghị định 224/2026/NĐ-CP, Điều 11 khoản 3"
ND224_ART13 = "Nghị định 224/2026/NĐ-CP, Điều 13"
ND224_ART21 = "Nghị định 224/2026/NĐ-CP, Điều 21"
TCTT = "Luật Tiếp cận thông tin 104/2016/QH13"
ND13_2018_ART6 = "Nghị định 13/2018/NĐ-CP, Điều 6 khoản 3"
ND13_2018_ART11 = "Nghị định 13/2018/NĐ-CP, Điều 11"
ND13_2018_ART12 = "Nghị định 13/2018/NĐ-CP, Điều 12"
TT22 = "Thông tư 22/2023/TT-BTTTT"
TT32_16 = "Thông tư 32/2017/TT-BTTTT, Điều 16 [H]"
TT32_18 = "Thông tư 32/2017/TT-BTTTT, Điều 18 [H]"
TT32_20 = "Thông tư 32/2017/TT-BTTTT, Điều 20 [H]"
ND43_ART17 = "Nghị định 43/2011/NĐ-CP, Điều 17 khoản 1 [H]"
ND137_2024 = "Nghị định 137/2024/NĐ-CP (tín nhiệm mạng)"
PDP = "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15; Nghị định 356/2025/NĐ-CP"


@dataclass(frozen=True)
class Basis:
    text: str
    start: dt.date | None = None
    end: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _b(*items) -> tuple[Basis, ...]:
    return tuple(i if isinstance(i, Basis) else Basis(i) for i in items)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # lazy translation
    check: str
    basis: tuple[Basis, ...]
    severity: str = ERROR
    scope: str = CONTENT
    start: dt.date | None = None
    end: dt.date | None = None
    remedy: str = ""  # lazy translation
    # The fact outside the portal's content the rule depends on (lazy
    # translation), e.g. a certificate issued by NCSC or the production
    # server's configuration: no editing of the portal can make it pass.
    outside: str = ""
    options: dict = field(default_factory=dict, hash=False, compare=False)

    def applies_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def basis_on(self, day: dt.date) -> str:
        texts = [b.text for b in self.basis if b.in_force(day)]
        return "; ".join(texts or [b.text for b in self.basis])


def _decree(art42: str, art224: str | None = None) -> tuple[Basis, ...]:
    items = [Basis(art42, end=DECREE_42_UNTIL)]
    if art224:
        items.append(Basis(art224, start=DECREE_224_FROM))
    return tuple(items)


CONTENT_RULES = (
    Rule("ND.INFO06.CO-CAU", _("Chức năng, nhiệm vụ, cơ cấu tổ chức và sơ đồ tổ chức"),
         "intro_pages", _decree(ND42_ART4E, ND224_ART9) + _b(f"{TCTT}, Điều 19 khoản 1 điểm đ"),
         options={"days": 730},
         remedy=_("Đăng trang Chức năng, nhiệm vụ và trang Cơ cấu tổ chức (kèm sơ đồ) trong mục Giới thiệu.")),
    Rule("ND.INFO06.LANH-DAO", _("Lãnh đạo: họ tên, chức vụ, nhiệm vụ được phân công"),
         "leaders", _decree(ND42_ART4E, ND224_ART9),
         options={"days": 365},
         remedy=_("Nhập lãnh đạo (họ tên, chức vụ, nhiệm vụ) trong Lãnh đạo, cán bộ đầu mối.")),
    Rule("ND.INFO06.DAU-MOI", _("Cán bộ đầu mối: họ tên, chức vụ, điện thoại, thư điện tử công vụ"),
         "contacts", _decree(ND42_ART4E) + _b(f"{TCTT}, Điều 19 khoản 1 điểm đ"),
         options={"days": 365},
         remedy=_("Nhập cán bộ đầu mối với đủ họ tên, chức vụ, điện thoại và thư điện tử.")),
    Rule("ND.INFO01.VAN-BAN", _("Văn bản đủ trường bắt buộc và có tệp tải về"),
         "documents", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm a"),
         remedy=_("Bổ sung số ký hiệu, ngày ban hành, cơ quan ban hành, trích yếu và tệp văn bản.")),
    Rule("ND.INFO01.CONG-BAO", _("Văn bản quy phạm pháp luật đăng trên Công báo điện tử của cổng"),
         "gazette_register", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm a"),
         severity=WARNING, remedy=_("Đăng văn bản vào sổ Công báo điện tử của cổng.")),
    Rule("ND.INFO05.CHIEN-LUOC", _("Chiến lược, quy hoạch, kế hoạch được cập nhật"),
         "recent_items", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm c"),
         options={"section": "chien-luoc-quy-hoach-ke-hoach", "days": 365},
         remedy=_("Đăng kế hoạch, chương trình công tác năm vào chuyên mục Chiến lược – Quy hoạch – Kế hoạch.")),
    Rule("ND.INFO04.PHO-BIEN", _("Phổ biến, hướng dẫn pháp luật được cập nhật"),
         "recent_items", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm b"),
         options={"section": "pho-bien-phap-luat", "days": 180},
         remedy=_("Đăng bài phổ biến, hướng dẫn pháp luật vào chuyên mục Phổ biến, giáo dục pháp luật.")),
    Rule("ND.INFO07.TAI-CHINH", _("Báo cáo tài chính năm và thông tin thống kê"),
         "finance_statistics", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm e"),
         options={"days": 455},
         remedy=_("Đăng báo cáo tài chính năm và số liệu thống kê của ngành, lĩnh vực.")),
    Rule("TCTT.DANH-MUC", _("Danh mục thông tin phải được công khai"),
         "disclosure_list", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm g", ND13_2018_ART6),
         remedy=_("Đăng Danh mục thông tin phải được công khai trong chuyên mục Tiếp cận thông tin.")),
    Rule("TCTT.CHUYEN-MUC", _("Chuyên mục Tiếp cận thông tin: đầu mối, địa chỉ nhận yêu cầu, biểu mẫu"),
         "access_section", _b(ND13_2018_ART11),
         remedy=_("Hoàn thiện chuyên mục Tiếp cận thông tin: đầu mối, địa chỉ thư điện tử nhận yêu cầu, biểu mẫu.")),
    Rule("ND.INFO03.TTHC", _("Thủ tục hành chính liên kết Cổng Dịch vụ công quốc gia"),
         "procedures_link", _decree(ND42_ART4) + _b(f"{TCTT}, Điều 19 khoản 1 điểm a"),
         remedy=_("Trang Thủ tục hành chính phải liên kết tới Cổng Dịch vụ công quốc gia.")),
    Rule("ND.ART7.TIENG-ANH", _("Trang tiếng Anh: cơ cấu tổ chức, chức năng và thông tin liên hệ"),
         "english_pages", _b(ND42_ART7), end=DECREE_42_UNTIL,
         remedy=_("Dịch sang tiếng Anh trang Cơ cấu tổ chức, Chức năng nhiệm vụ và Cán bộ đầu mối.")),
    Rule("TCTT.TIENG-ANH", _("Trang tiếng Anh: cơ cấu tổ chức, chức năng và thông tin liên hệ"),
         "english_pages", _b(f"{ND42_ART7} (quy định của quy chế cổng sau 01/7/2026)"),
         severity=WARNING, start=DECREE_224_FROM,
         remedy=_("Dịch sang tiếng Anh trang Cơ cấu tổ chức, Chức năng nhiệm vụ và Cán bộ đầu mối.")),
    Rule("HAN.VAN-BAN", _("Văn bản đăng trong 2 ngày làm việc kể từ ngày ban hành"),
         "documents_timely", _b(ND43_ART17), severity=WARNING, options={"working_days": 2, "days": 365},
         remedy=_("Đăng văn bản đúng hạn; rà soát quy trình chuyển văn bản cho Ban Biên tập.")),
    Rule("HAN.HOI-DAP", _("Câu hỏi được trả lời trong 15 ngày làm việc"),
         "answers_timely", _b(ND43_ART17), severity=WARNING,
         remedy=_("Trả lời hoặc thông báo tiến độ các câu hỏi quá hạn.")),
    Rule("TCTT.TRUYEN-THONG", _("Chuyên mục Truyền thông chính sách hoạt động"),
         "recent_items", _b(f"{TCTT}, Điều 19 khoản 1 điểm b"), severity=WARNING,
         options={"section": "truyen-thong-chinh-sach", "days": 90},
         remedy=_("Đăng bài truyền thông chính sách trong 90 ngày gần nhất.")),
    Rule("ND13.QUY-CHE", _("Quy chế quản lý, vận hành và cung cấp thông tin, có quy trình xử lý sự cố và thông tin vi phạm"),
         "operating_regulation", _b(ND13_2018_ART12, Basis(ND224_ART21, start=DECREE_224_FROM)),
         remedy=_("Ban hành và đăng Quy chế quản lý, vận hành và cung cấp thông tin, gồm quy trình xử lý sự cố và xử lý thông tin vi phạm.")),
    Rule("ND224.TAM-NGUNG", _("Tạm ngừng có kế hoạch được thông báo trước ít nhất 7 ngày làm việc"),
         "maintenance_notice", _b(ND224_ART13), start=DECREE_224_FROM, options={"working_days": 7},
         remedy=_("Thông báo tạm ngừng trên cổng trước ít nhất 7 ngày làm việc, nêu thời gian dự kiến khôi phục.")),
)

LAYOUT_RULES = (
    Rule("TT22.DAU-TRANG", _("Đầu trang có Quốc huy/biểu trưng và tên đầy đủ của cơ quan"),
         "header", _b(TT22, TT32_16), scope=LAYOUT,
         remedy=_("Nhập tên cổng và ảnh Quốc huy/biểu trưng trong Cài đặt cổng.")),
    Rule("TT22.MENU", _("Menu có Trang chủ, Giới thiệu, Dịch vụ công trực tuyến; liên kết Sơ đồ cổng"),
         "menu", _b(TT22, TT32_16), scope=LAYOUT,
         remedy=_("Hiện các chuyên mục Giới thiệu và Thủ tục hành chính trong menu; giữ liên kết Sơ đồ cổng.")),
    Rule("TT22.CHAN-TRANG", _("Chân trang có cơ quan chủ quản, người chịu trách nhiệm, địa chỉ, điện thoại, thư điện tử"),
         "footer", _b(TT22, TT32_16), scope=LAYOUT,
         remedy=_("Nhập cơ quan chủ quản, người chịu trách nhiệm, địa chỉ, điện thoại và thư điện tử trong Cài đặt cổng.")),
    Rule("TT22.SO-DO", _("Sơ đồ cổng dạng trang và tệp XML"),
         "sitemaps", _b(TT22, TT32_16), scope=LAYOUT,
         remedy=_("Xuất bản trang Sơ đồ cổng; kiểm tra /sitemap.xml.")),
    Rule("ND.ART7.TIM-KIEM", _("Chức năng tìm kiếm"),
         "search", _decree(ND42_ART7), scope=LAYOUT, remedy=_("Giữ ô tìm kiếm ở đầu trang.")),
    Rule("ND.ART7.IN-LUU", _("Chức năng in và lưu cho tin bài"),
         "print_save", _decree(ND42_ART7), scope=LAYOUT,
         remedy=_("Giữ nút In và Lưu trên trang tin bài.")),
    Rule("TT22.HTTPS", _("HTTPS và các tiêu đề bảo mật"),
         "security_headers", _b(TT22, TT32_20, ND137_2024), scope=LAYOUT,
         outside=_("Cấu hình máy chủ sản xuất (HTTPS, HSTS)"),
         remedy=_("Bật HTTPS, HSTS và các tiêu đề bảo mật trong cấu hình máy chủ sản xuất.")),
    Rule("TT22.EMC", _("Mã giám sát EMC được gắn trên cổng"),
         "emc_code", _b(TT22, Basis(ND224_ART11_3, start=DECREE_224_FROM)), scope=LAYOUT,
         remedy=_("Dán mã giám sát do Hệ thống EMC cấp vào Cài đặt cổng.")),
    Rule("TNM.NHAN", _("Huy hiệu Tín nhiệm mạng hiển thị và chứng nhận còn hiệu lực"),
         "trust_badge", _b(ND137_2024), scope=LAYOUT,
         outside=_("Chứng nhận Tín nhiệm mạng do NCSC cấp và thời hạn của nó"),
         remedy=_("Nhập chứng nhận Tín nhiệm mạng còn hiệu lực vào sổ nhãn Tín nhiệm mạng.")),
    Rule("PDP.CHINH-SACH", _("Trang chính sách bảo vệ dữ liệu cá nhân"),
         "privacy_page", _b(PDP, ND137_2024), scope=LAYOUT,
         remedy=_("Soạn nội dung trang Chính sách bảo vệ dữ liệu cá nhân và liên kết ở chân trang.")),
    Rule("PDP.KHONG-MA-NGOAI", _("Không tải mã (script) của bên thứ ba"),
         "no_third_party_scripts", _b(PDP, ND137_2024), scope=LAYOUT,
         remedy=_("Gỡ các thẻ script tải từ máy chủ bên ngoài (trừ mã EMC).")),
    Rule("TT22.TIEP-CAN", _("Không có lỗi tiếp cận nghiêm trọng (quét axe-core)"),
         "accessibility", _b(TT32_18, Basis(ND224_ART10_3, start=DECREE_224_FROM)),
         scope=LAYOUT, remedy=_("Sửa các lỗi tiếp cận được liệt kê (tương phản, nhãn, văn bản thay thế…).")),
)

PACKS: dict[str, tuple[Rule, ...]] = {
    "noi-dung": CONTENT_RULES,
    "giao-dien-ky-thuat": LAYOUT_RULES,
}


def all_rules() -> tuple[Rule, ...]:
    from django.conf import settings

    extra = getattr(settings, "CONG_COMPLIANCE_EXTRA_RULES", ())
    return tuple(r for pack in PACKS.values() for r in pack) + tuple(extra)


def outside_facts() -> dict[str, str]:
    """Rule id → the outside fact it depends on, for the rules that have one."""
    return {r.id: str(r.outside) for r in all_rules() if r.outside}


def rules_for(day: dt.date, *, scope: str | None = None, rules=None) -> list[Rule]:
    rules = all_rules() if rules is None else rules
    return [r for r in rules if r.applies_on(day) and (scope is None or r.scope == scope)]
