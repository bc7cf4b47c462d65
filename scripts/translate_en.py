"""Fill English msgstr for known Vietnamese msgids in cong/locale/en (idempotent).

Usage: python scripts/translate_en.py  (after manage.py makemessages -l en)
"""

import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "cong/locale/en/LC_MESSAGES/django.po"

EN = {
    "Từ ngày": "From", "Đến ngày": "To", "Tin nổi bật": "Featured", "Cán bộ đầu mối": "Contact officials",
    "Xem video (tải từ nhà cung cấp bên ngoài)": "Play video (loads from an outside provider)",
    "Xem video “%(t)s” tại trang của nhà cung cấp": "Watch “%(t)s” on the provider's site",
    "Địa chỉ": "Address", "Điện thoại": "Phone", "Thư điện tử": "E-mail",
    "Cán bộ đầu mối cung cấp thông tin": "Contact officials for information",
    "Họ và tên": "Full name", "Chức vụ": "Title", "Đơn vị": "Unit", "Số, ký hiệu": "Number",
    "Ngày ban hành": "Date of issue", "Cơ quan ban hành": "Issued by", "Tệp văn bản": "Files",
    "Xem trong cơ sở dữ liệu văn bản": "See in the register of documents", "Tin mới": "Latest news",
    "Chưa có tin bài nào.": "No news yet.",
    "Cổng thông tin các cơ quan, địa phương": "Portals of agencies and localities",
    "Nguồn": "Source", "Chủ đề": "Topics", "In bài viết": "Print", "Lưu PDF": "Save as PDF",
    "Chia sẻ": "Share", "Tin liên quan": "Related news",
    "Nội dung infographic bằng chữ": "The infographic in words",
    "Điều gì thay đổi?": "What changes?", "Áp dụng cho ai?": "Who is affected?",
    "Từ khi nào?": "From when?", "Cần làm gì?": "What to do?", "Văn bản liên quan": "Related documents",
    "Lấy ý kiến, dự thảo liên quan": "Related consultations and drafts", "Tìm kiếm": "Search",
    "Tìm": "Search", "trên toàn bộ các cổng của tỉnh": "across all the province's portals",
    "Nhập từ khóa để tìm.": "Enter words to search for.", "Chuyên mục con": "Subsections",
    "Lọc danh sách": "Filter the list", "Lọc": "Filter",
    "Chưa có thông tin trong mục này.": "Nothing published in this section yet.",
    "Nhiệm vụ": "Duties", "Tóm tắt tiểu sử": "Short biography", "Tải video": "Download the video",
    "Xem video tại trang của nhà cung cấp": "Watch on the provider's site",
    "Lời thoại, mô tả video": "Transcript and description",
    "Đang kiểm tra chống gửi tự động…": "Checking that you are not an automated sender…",
    "Sẵn sàng gửi.": "Ready to send.",
    "Không kiểm tra được; bạn vẫn có thể gửi, hệ thống sẽ kiểm tra lại.":
        "The check could not run; you can still send and the portal will check again.",
    "Quá nhiều yêu cầu": "Too many requests",
    "Những gì bạn đã gửi thành công trước đó vẫn được lưu giữ.":
        "Whatever you sent successfully before is kept.",
    "Đường dẫn": "Breadcrumb", "Menu chính": "Main menu", "Menu": "Menu", "Trang chủ": "Home",
    "Phân trang": "Pagination", "Trang trước": "Previous page", "Trang sau": "Next page",
    "Trang %(n)s/%(total)s": "Page %(n)s of %(total)s",
    "Không tìm thấy trang": "Page not found",
    "Trang bạn tìm không tồn tại hoặc đã được chuyển sang địa chỉ khác.":
        "The page you are looking for does not exist or has moved.",
    "Về trang chủ": "Back to the home page", "Xem sơ đồ cổng": "See the site map",
    "Tìm kiếm trên cổng": "Search this portal", "Bỏ qua, đến nội dung chính": "Skip to main content",
    "Tìm kiếm…": "Search…", "Cơ quan chủ quản": "Governing body",
    "Chịu trách nhiệm chính": "Responsible for content",
    "Ghi rõ nguồn khi phát hành lại thông tin từ cổng này.":
        "Please cite this portal as the source when you republish its information.",
    "Liên kết chân trang": "Footer links", "Sơ đồ cổng": "Site map", "Liên hệ": "Contact",
    "Chính sách bảo vệ dữ liệu cá nhân": "Personal data protection policy", "Sơ đồ XML": "XML site map",
    "Chứng nhận Tín nhiệm mạng": "Network trust certificate", "Giới thiệu": "About",
    "Tin bài": "Article", "Văn bản": "Document", "Video": "Video", "Infographic": "Infographic",
    "Banner": "Banner", "Truyền thông chính sách": "Policy explained", "Tất cả": "All",
    "Loại thông tin": "Type", "Chuyên mục": "Category", "Từ khóa": "Words", "Phạm vi": "Scope",
    "Cổng này": "This portal", "Toàn bộ các cổng của tỉnh": "All the province's portals",
    "“Từ ngày” phải trước “đến ngày”.": "“From” must be before “to”.",
    "Tin tức, sự kiện": "News and events", "Thông tin chỉ đạo, điều hành": "Directions and administration",
    "Lãnh đạo": "Leaders", "Người phát ngôn": "Spokesperson",
}
PLURALS = {"Tìm thấy %(n)s kết quả": ("Found %(n)s result", "Found %(n)s results")}


def main():
    text = PO.read_text(encoding="utf-8")
    for vi, en in EN.items():
        pattern = re.compile(r'(msgid "' + re.escape(vi) + r'"\nmsgstr )""')
        text = pattern.sub(lambda m, en=en: m.group(1) + '"' + en.replace('"', '\\"') + '"', text)
    for vi, (one, many) in PLURALS.items():
        pattern = re.compile(
            r'(msgid "' + re.escape(vi) + r'"\nmsgid_plural "[^"]*"\n)msgstr\[0\] ""\nmsgstr\[1\] ""'
        )
        text = pattern.sub(lambda m, one=one, many=many: m.group(1) + f'msgstr[0] "{one}"\nmsgstr[1] "{many}"', text)
    text = text.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    text = re.sub(r'#, fuzzy\n(msgid "")', r"\1", text, count=1)
    PO.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
