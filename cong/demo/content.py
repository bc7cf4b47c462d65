"""Sample Vietnamese information items for the demo network.

Each section of every portal gets items written for its agency; the texts
are templates filled with the unit's name, so that every portal reads like
its own without a corpus of thousands of articles.
"""

from __future__ import annotations

# (section slug, category slug, [(title template, summary template)])
SECTION_ITEMS = {
    "tin-tuc-su-kien": ("tin-tuc-su-kien", [
        ("{short} tổ chức hội nghị tổng kết công tác năm 2023, triển khai nhiệm vụ năm 2024",
         "Hội nghị đánh giá kết quả thực hiện nhiệm vụ năm 2023, chỉ ra những hạn chế và đề ra giải pháp trọng tâm cho năm 2024."),
        ("{short} ra quân hưởng ứng Ngày Chuyển đổi số",
         "Cán bộ, công chức tham gia hướng dẫn người dân cài đặt ứng dụng VNeID và sử dụng dịch vụ công trực tuyến."),
        ("Đoàn công tác của {short} thăm, chúc Tết gia đình chính sách",
         "Nhân dịp Tết Nguyên đán Giáp Thìn 2024, đoàn công tác đã đến thăm, tặng quà các gia đình chính sách trên địa bàn."),
        ("{short} tổ chức Diễn đàn kết nối doanh nghiệp năm 2024",
         "Diễn đàn tạo điều kiện để doanh nghiệp trao đổi trực tiếp với cơ quan quản lý về thủ tục đầu tư, đất đai và lao động."),
    ]),
    "chi-dao-dieu-hanh": ("chi-dao-dieu-hanh", [
        ("Chỉ đạo của {short} về triển khai nhiệm vụ trọng tâm quý I/2024",
         "Yêu cầu các phòng, đơn vị trực thuộc khẩn trương triển khai kế hoạch công tác, bảo đảm tiến độ giải ngân vốn đầu tư công."),
        ("Kết luận của lãnh đạo {short} tại cuộc họp giao ban tháng 2/2024",
         "Lãnh đạo đề nghị tăng cường cải cách hành chính, nâng tỷ lệ hồ sơ trực tuyến toàn trình."),
        ("{short} chỉ đạo tăng cường phòng, chống cháy rừng mùa khô 2024",
         "Các đơn vị được yêu cầu trực 24/24 giờ, sẵn sàng lực lượng và phương tiện ứng phó."),
    ]),
    "van-ban": ("chi-dao-dieu-hanh", [
        ("Kế hoạch của {short} về cải cách hành chính năm 2024",
         "Kế hoạch xác định các nhiệm vụ cải cách thể chế, thủ tục hành chính và xây dựng chính quyền số."),
        ("Quyết định của {short} ban hành Quy chế quản lý, vận hành và cung cấp thông tin trên cổng thông tin điện tử",
         "Quy chế quy định quy trình biên tập, đăng tải thông tin, xử lý sự cố và tiếp nhận thông tin vi phạm."),
    ]),
    "chien-luoc-quy-hoach-ke-hoach": ("chien-luoc-quy-hoach", [
        ("Công bố Quy hoạch tỉnh Bình Phước thời kỳ 2021–2030, tầm nhìn đến năm 2050",
         "Quy hoạch xác định không gian phát triển, hành lang kinh tế và các dự án trọng điểm của tỉnh."),
        ("{short} triển khai kế hoạch thực hiện Đề án 06 năm 2024",
         "Kế hoạch đặt mục tiêu hoàn thành làm sạch dữ liệu và cung cấp dịch vụ công thiết yếu trên môi trường số."),
    ]),
    "pho-bien-phap-luat": ("pho-bien-phap-luat", [
        ("Những điểm mới của Luật Đất đai năm 2024 người dân cần biết",
         "Luật Đất đai năm 2024 có nhiều quy định mới về bồi thường, hỗ trợ, tái định cư và cấp giấy chứng nhận."),
        ("{short} tuyên truyền Luật Căn cước năm 2023",
         "Luật Căn cước có hiệu lực từ ngày 1/7/2024; thẻ căn cước công dân đã cấp vẫn có giá trị sử dụng đến hết hạn."),
    ]),
    "thong-bao": ("tin-tuc-su-kien", [
        ("Thông báo lịch tiếp công dân định kỳ của lãnh đạo {short} quý I/2024",
         "Lịch tiếp công dân được tổ chức vào ngày 15 hằng tháng tại trụ sở cơ quan."),
        ("Thông báo tuyển dụng viên chức năm 2024 của {short}",
         "Thông tin về chỉ tiêu, điều kiện, hồ sơ và thời gian nhận hồ sơ dự tuyển."),
    ]),
    "hoi-dap": ("tham-van-chinh-sach", [
        ("Hỏi đáp về thủ tục đăng ký hộ kinh doanh trực tuyến",
         "Người dân có thể nộp hồ sơ đăng ký hộ kinh doanh qua Cổng Dịch vụ công quốc gia."),
    ]),
    "lay-y-kien-du-thao": ("tham-van-chinh-sach", [
        ("Lấy ý kiến góp ý dự thảo Quyết định quy định chức năng, nhiệm vụ của {short}",
         "Cơ quan, tổ chức, cá nhân gửi ý kiến góp ý trước ngày 30/4/2024."),
    ]),
}

BODY = [
    "<p>Ngày {day}/{month}/2024, {name} đã tổ chức triển khai nội dung nêu trên với sự tham dự của lãnh đạo và cán bộ, công chức các phòng, đơn vị trực thuộc.</p>",
    "<p>Theo báo cáo, năm 2023 {short} đã hoàn thành các chỉ tiêu được giao, tiếp tục đẩy mạnh cải cách hành chính và chuyển đổi số; tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.</p>",
    "<p>Phát biểu chỉ đạo, đồng chí {leader} đề nghị các đơn vị bám sát kế hoạch, phân công rõ người, rõ việc, rõ thời gian hoàn thành và tăng cường phối hợp trong thực hiện nhiệm vụ.</p>",
]

STANDARD_BODIES = {
    "chuc-nang-nhiem-vu": "<p>{name} là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh Bình Phước, có chức năng tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước trong lĩnh vực được giao; có tư cách pháp nhân, con dấu và tài khoản riêng.</p><h2>Nhiệm vụ, quyền hạn</h2><ol><li>Trình Ủy ban nhân dân tỉnh dự thảo quyết định, chỉ thị; kế hoạch dài hạn, 05 năm và hằng năm thuộc lĩnh vực quản lý.</li><li>Tổ chức thực hiện các văn bản quy phạm pháp luật, quy hoạch, kế hoạch sau khi được phê duyệt.</li><li>Thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo theo quy định.</li></ol>",
    "co-cau-to-chuc": "<p>Cơ cấu tổ chức của {name} gồm: Lãnh đạo (Giám đốc và các Phó Giám đốc); Văn phòng; Thanh tra; các phòng chuyên môn, nghiệp vụ và các đơn vị sự nghiệp trực thuộc.</p>",
    "lanh-dao": "<p>Danh sách lãnh đạo {name} và nhiệm vụ được phân công.</p>",
    "can-bo-dau-moi": "<p>Cán bộ đầu mối cung cấp thông tin theo quy định tại Điều 4 Nghị định số 42/2022/NĐ-CP.</p>",
    "tong-quan": "<p>Bình Phước là tỉnh thuộc vùng Đông Nam Bộ, có đường biên giới dài 258,9 km giáp Vương quốc Campuchia. Địa hình chủ yếu là đồi thấp và cao nguyên; khí hậu nhiệt đới gió mùa với hai mùa mưa, khô rõ rệt.</p><p>Tỉnh có nhiều di tích lịch sử, văn hóa như Căn cứ Bộ Chỉ huy Miền, Sóc Bom Bo, Núi Bà Rá và Trảng cỏ Bù Lạch.</p>",
    "lich-su": "<p>{name} được thành lập trên cơ sở tổ chức lại các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh theo quy định của Chính phủ; qua các thời kỳ đã không ngừng kiện toàn về tổ chức và bộ máy.</p>",
    "tiep-can-thong-tin": "<p>Công dân có quyền tiếp cận thông tin theo Luật Tiếp cận thông tin năm 2016. Danh mục thông tin phải được công khai và đầu mối cung cấp thông tin được đăng tải tại chuyên mục này.</p>",
    "chinh-sach-bao-ve-du-lieu-ca-nhan": "<p>Cổng thông tin chỉ thu thập dữ liệu cá nhân tối thiểu cần cho việc trả lời câu hỏi, tiếp nhận góp ý và phản ánh; không dùng cookie theo dõi; số liệu truy cập được tổng hợp ẩn danh.</p><p>Người dùng có quyền yêu cầu xem, sửa, xóa dữ liệu cá nhân của mình bằng cách liên hệ Ban Biên tập theo địa chỉ ở chân trang.</p>",
}
