"""The demo province network: Bình Phước as it stood in 2024.

22 department portals and 11 district portals under the province's portal.
Names are the province's real agencies; people, phone numbers and texts are
invented for the demonstration.
"""

PROVINCE = {
    "id": "binhphuoc",
    "name": "Ủy ban nhân dân tỉnh Bình Phước",
    "short_name": "UBND tỉnh Bình Phước",
    "portal_name": "Cổng Thông tin điện tử tỉnh Bình Phước",
    "address": "Số 679 Quốc lộ 14, phường Tân Phú, thành phố Đồng Xoài, tỉnh Bình Phước",
    "phone": "0271 3879 148",
    "email": "bbt@binhphuoc.gov.vn",
}

DEPARTMENTS = [
    ("vpubnd", "Văn phòng UBND tỉnh", "VP UBND tỉnh"),
    ("stttt", "Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("skhdt", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
    ("stc", "Sở Tài chính", "Sở Tài chính"),
    ("stp", "Sở Tư pháp", "Sở Tư pháp"),
    ("snv", "Sở Nội vụ", "Sở Nội vụ"),
    ("sct", "Sở Công Thương", "Sở Công Thương"),
    ("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("stnmt", "Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("sxd", "Sở Xây dựng", "Sở Xây dựng"),
    ("sgtvt", "Sở Giao thông vận tải", "Sở GTVT"),
    ("sgddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("syt", "Sở Y tế", "Sở Y tế"),
    ("sldtbxh", "Sở Lao động – Thương binh và Xã hội", "Sở LĐ-TB&XH"),
    ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL"),
    ("skhcn", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("sngv", "Sở Ngoại vụ", "Sở Ngoại vụ"),
    ("thanhtra", "Thanh tra tỉnh", "Thanh tra tỉnh"),
    ("bandantoc", "Ban Dân tộc tỉnh", "Ban Dân tộc"),
    ("bqlkkt", "Ban Quản lý Khu kinh tế tỉnh", "BQL Khu kinh tế"),
    ("vpdbqhhdnd", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "VP Đoàn ĐBQH và HĐND"),
    ("bqlda", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "BQLDA ĐTXD tỉnh"),
]

DISTRICTS = [
    ("dongxoai", "UBND thành phố Đồng Xoài", "TP. Đồng Xoài"),
    ("binhlong", "UBND thị xã Bình Long", "TX. Bình Long"),
    ("phuoclong", "UBND thị xã Phước Long", "TX. Phước Long"),
    ("chonthanh", "UBND thị xã Chơn Thành", "TX. Chơn Thành"),
    ("budang", "UBND huyện Bù Đăng", "Huyện Bù Đăng"),
    ("budop", "UBND huyện Bù Đốp", "Huyện Bù Đốp"),
    ("bugiamap", "UBND huyện Bù Gia Mập", "Huyện Bù Gia Mập"),
    ("dongphu", "UBND huyện Đồng Phú", "Huyện Đồng Phú"),
    ("honquan", "UBND huyện Hớn Quản", "Huyện Hớn Quản"),
    ("locninh", "UBND huyện Lộc Ninh", "Huyện Lộc Ninh"),
    ("phurieng", "UBND huyện Phú Riềng", "Huyện Phú Riềng"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Đức", "Thu", "Hoàng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam",
         "Phong", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vinh", "Yến"]


def person(seed: int) -> str:
    return f"{SURNAMES[seed % 12]} {MIDDLE[(seed // 12) % 10]} {GIVEN[(seed * 7) % 20]}"
