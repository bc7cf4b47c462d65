"""Records reproducing the seed report's figures yield a report that states
every figure of its Section I, written the Vietnamese way."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from docx import Document

from cong.core.records import Importer

from . import seed_records as seed

pytestmark = pytest.mark.slow


def test_the_report_states_every_figure_of_the_seed(network, tmp_path):
    result = Importer().run(json.dumps(r, ensure_ascii=False) for r in seed.seed_records())
    assert not result.errors, result.errors[:5]
    out = tmp_path / "bao-cao.docx"
    call_command("report", "quarterly", "--unit", seed.PROVINCE, "--year", "2024", "--quarter", "1",
                 "--until", seed.UNTIL.isoformat(), "--output", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for phrase in [
        "2.563 thông tin các loại", "đạt 15,5% so với chỉ tiêu kế hoạch năm 2024",
        "421 thông tin chỉ đạo", "231 thông tin phổ biến", "201 thông tin chuyển đổi số",
        "150 thông tin chiến lược", "121 thông tin tham vấn", "81 thông tin phòng chống dịch bệnh",
        f"{seed.FORUM_TOPIC}: 20",
        "1.221 thông tin được lan tỏa trên mạng xã hội",
        "197 văn bản (02 văn bản QPPL, 195 văn bản khác)",
        "hỗ trợ, phản hồi cho 95 lượt tổ chức, cá nhân",
        "hỗ trợ 03 lượt tổ chức lấy ý kiến góp ý dự thảo văn bản",
        "hỗ trợ đăng tải 42 thông báo/công bố", "hỗ trợ 05 tỉnh, thành phố tuyên truyền",
        "qua điện thoại cho 45 lượt tổ chức, công dân",
        "tổng lượt truy cập 34.713.393", "lũy kế từ năm 2017 đến nay là 365.629.073 lượt truy cập",
        "Thời gian trung bình của 01 lượt truy cập là 05 phút 50 giây",
        "11/11 Cổng/Trang TTĐT của UBND huyện", "22/22 Cổng/Trang TTĐT của sở, ban, ngành tỉnh",
        "16.500 thông tin/năm", "3.000 thông tin/năm",
    ]:
        assert phrase in text, phrase
