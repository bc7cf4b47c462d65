"""Turning figures into a report: the docxtpl context, DOCX, PDF and JSON."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils import timezone

from cong.core import vn
from cong.core.errors import ApplicationError
from cong.core.vn import fold
from cong.units.choices import UnitType
from cong.units.models import Official, PortalSettings, Unit

from .docx_template import build_default_template
from .models import ReportTemplate

TYPE_PHRASES = {
    UnitType.DEPARTMENT: "sở, ban, ngành tỉnh",
    UnitType.DISTRICT: "UBND huyện, thị xã, thành phố (UBND cấp huyện)",
    UnitType.COMMUNE: "UBND xã, phường",
    UnitType.OTHER: "đơn vị khác",
}


def _place(unit: Unit) -> str:
    root = unit
    for ancestor in unit.ancestors():
        root = ancestor
    name = re.sub(r"^(Ủy ban nhân dân|UBND)\s+", "", root.name, flags=re.I)
    return re.sub(r"^(tỉnh|thành phố)\s+", "", name, flags=re.I).strip() or root.name


def _symbol(unit: Unit) -> str:
    """The issuing agency's abbreviation after "BC-" (Decree 30/2020 App. III):
    "BC-UBND" for a People's Committee, "BC-STTTT" for "Sở TT&TT"."""
    base = fold(unit.short_name or unit.name).upper()
    if base.startswith("UBND") or base.startswith("UY BAN NHAN DAN"):
        return "BC-UBND"
    words = [w for w in re.split(r"[^A-Z0-9]+", fold(unit.name).upper()) if w and w not in ("VA", "CUA")]
    return "BC-" + "".join(w[0] for w in words)[:10]


def _portal_short(unit: Unit) -> str:
    if unit.unit_type == UnitType.PROVINCE:
        return "Cổng TTĐT tỉnh"
    return f"Trang TTĐT {unit.display_short_name}"


def _category_phrase(name: str) -> str:
    """'Thông tin chỉ đạo, điều hành' -> 'chỉ đạo, điều hành' (after 'N thông tin')."""
    name = re.sub(r"^thông tin\s+", "", name, flags=re.I)
    return name[:1].lower() + name[1:]


def _items_paragraphs(f: dict, label_cap: str, until_text: str, portal: str) -> list[str]:
    items = f["items"]
    types = ", ".join(t["name"].lower() for t in items["by_type"] if t["type"] != "policy")
    text = (
        f"{label_cap} (tính đến {until_text}), {portal} đã thực hiện viết, biên tập, cập nhật "
        f"{items['total_text']} thông tin các loại ({types}), đạt {items['target_percent']} so với "
        f"chỉ tiêu kế hoạch năm {f['period']['year']}."
    )
    parts = [f"{c['count_text']} thông tin {_category_phrase(c['name'])}" for c in items["by_category"] if c["count"]]
    if parts:
        text += " Trong đó, có " + "; ".join(parts) + "."
    by_type = [f"{t['name'].lower()}: {t['count_text']}" for t in items["by_type"] if t["count"]]
    paragraphs = [f"- {text}"]
    if by_type:
        paragraphs.append("- Theo loại thông tin: " + "; ".join(by_type) + ".")
    topics = items.get("by_topic") or []
    if topics:
        paragraphs.append("- Theo chủ đề: " + "; ".join(f"{t['topic']}: {vn.number(t['count'])}" for t in topics[:5]) + ".")
    return paragraphs


def _shares_gazette_paragraphs(f: dict, label: str, portal: str) -> list[str]:
    out = []
    if f.get("shares") is not None:
        out.append(
            f"- Thông tin cập nhật trên {portal} được đồng thời chia sẻ trên Zalo, fanpage với tổng số "
            f"{f['shares']['items_text']} thông tin được lan tỏa trên mạng xã hội."
        )
    g = f.get("gazette")
    if g is not None:
        out.append(
            f"- Công báo điện tử: trong {label} đã thu thập, đăng tải {g['total_text']} văn bản "
            f"({g['normative_text']} văn bản QPPL, {g['other_text']} văn bản khác) trên {portal}."
        )
    return out


def _support_paragraphs(f: dict, label_cap: str, portal: str) -> list[str]:
    s = f.get("support")
    if s is None:
        return []
    parts = []
    if s["consultation"]:
        parts.append(f"hỗ trợ {s['consultation_text']} lượt tổ chức lấy ý kiến góp ý dự thảo văn bản")
    if s["announcement"]:
        parts.append(f"hỗ trợ đăng tải {s['announcement_text']} thông báo/công bố của tổ chức")
    if s["event_promotion"]:
        parts.append(f"hỗ trợ {s['event_promotion_text']} tỉnh, thành phố tuyên truyền về các lễ hội, sự kiện")
    if s["phone"]:
        parts.append(f"trả lời, tư vấn trực tiếp qua điện thoại cho {s['phone_text']} lượt tổ chức, công dân")
    if s["other"]:
        parts.append(f"hỗ trợ khác {s['other_text']} lượt")
    text = f"{label_cap}, {portal} đã hỗ trợ, phản hồi cho {s['total_text']} lượt tổ chức, cá nhân."
    if parts:
        text += " Trong đó, " + "; ".join(parts) + "."
    return [text]


def _visits_paragraphs(f: dict, label_cap: str, until_text: str, portal: str) -> list[str]:
    v = f.get("visits")
    if v is None:
        return []
    since = f"lũy kế từ năm {v['first_year']} đến nay" if v.get("first_year") else "lũy kế từ khi vận hành đến nay"
    return [
        f"{label_cap} (tính đến {until_text}), {portal} có tổng lượt truy cập {v['visits_text']}, "
        f"{since} là {v['since_launch_text']} lượt truy cập. Thời gian trung bình của 01 lượt "
        f"truy cập là {v['average_visit_text']}."
    ]


def _trust_paragraphs(f: dict, portal: str) -> list[str]:
    t = f.get("trust_labels")
    if t is None:
        return []
    parts = [portal] if t["own"] else []
    for row in t["children"]:
        kinds = TYPE_PHRASES.get(row["unit_type"], row["unit_type"])
        parts.append(f"{row['text']} Cổng/Trang TTĐT của {kinds}")
    if not parts:
        return [f"{portal} chưa được gán nhãn tín nhiệm mạng."]
    return [
        f"Hiện nay, {', '.join(parts)} đã triển khai gán nhãn tín nhiệm mạng, do Trung tâm Giám sát "
        "an toàn không gian mạng quốc gia (NCSC) cấp chứng nhận."
    ]


def report_context(figures: dict, *, narrative: str = "") -> dict:
    unit = Unit.objects.select_related("parent").get(code=figures["unit"]["code"])
    period = figures["period"]
    label = period["label"]
    label_cap = label[0].upper() + label[1:]
    until_text = period["until_text"]
    portal = _portal_short(unit)
    settings = PortalSettings.for_site(unit.portal.site)
    today = timezone.localdate()
    results = [{
        "heading": "Thông tin tuyên truyền",
        "paragraphs": _items_paragraphs(figures, label_cap, until_text, portal)
        + _shares_gazette_paragraphs(figures, label, portal),
    }]
    for heading, paragraphs in (
        ("Phản hồi tổ chức, cá nhân", _support_paragraphs(figures, label_cap, portal)),
        ("Lượt truy cập, tiếp cận", _visits_paragraphs(figures, label_cap, until_text, portal)),
        ("An toàn thông tin", _trust_paragraphs(figures, portal)),
    ):
        if paragraphs:
            results.append({"heading": heading, "paragraphs": paragraphs})
    for i, part in enumerate(results, start=1):
        part["heading"] = f"{i}. {part['heading']}"
    plans = []
    nxt = figures["targets_next"]
    plan_lines = []
    if nxt["own"]:
        plan_lines.append(f"- {portal} phấn đấu vượt kế hoạch đề ra: {nxt['own_text']} thông tin/năm.")
    for row in nxt["children"]:
        kinds = ", ".join(TYPE_PHRASES.get(t, t) for t in row["unit_types"])
        plan_lines.append(f"- Mỗi cổng/trang TTĐT của các {kinds} phấn đấu cập nhật: {row['items_text']} thông tin/năm.")
    if plan_lines:
        plans.append({"heading": "1. Số lượng thông tin cập nhật:", "paragraphs": plan_lines})
    tasks = figures["work_plan"]
    if tasks:
        lines = []
        for t in tasks:
            line = f"- {t['title']}"
            if t["legal_basis"]:
                line += f" (căn cứ {t['legal_basis']})"
            if t["due"]:
                line += f". Thời gian: {t['due']}"
            line += f". Tình trạng: {t['status_text'].lower()}"
            if t["overdue"]:
                line += " (quá hạn)"
            lines.append(line + ".")
        plans.append({"heading": f"{len(plans) + 1}. Nhiệm vụ trọng tâm:", "paragraphs": lines})
    head = Official.objects.filter(portal=unit.portal, role="leader").order_by("sort_order").first()
    parent = unit.parent
    governing = settings.governing_body or (parent.name if parent else "")
    if unit.unit_type == UnitType.PROVINCE or parent is None:
        recipient = f"Ủy ban nhân dân {'tỉnh ' + _place(unit) if unit.unit_type == UnitType.PROVINCE else unit.name}"
    else:
        recipient = f"Ban Biên tập Cổng Thông tin điện tử tỉnh {_place(unit)}"
    remaining = {1: "03 quý còn lại", 2: "06 tháng cuối năm", 3: "quý IV"}.get(period["quarter"] or 0, "thời gian tới")
    summary = (
        f"Kết quả hoạt động {portal} {label}, triển khai phương hướng, nhiệm vụ "
        f"{remaining} năm {period['year']}"
    )
    return {
        "header": {
            "governing_body": governing.upper() if governing.lower() != unit.name.lower() else "",
            "agency": unit.name.upper(),
            "symbol": _symbol(unit),
            # the day is written when the report is signed, as in practice
            "place_date": f"{_place(unit)}, ngày      tháng {today.month} năm {today.year}",
            "summary": summary,
            "recipient": recipient,
        },
        "period": {**period, "label_upper": label.upper()},
        "intro": [
            f"{unit.name} báo cáo kết quả hoạt động {portal} {label}, triển khai phương hướng, "
            f"nhiệm vụ {remaining} năm {period['year']}, với những nội dung cụ thể sau:"
        ],
        "results": results,
        "plans": {"heading_upper": f"{remaining.upper()} NĂM {period['year']}", "parts": plans},
        "narrative": [p.strip() for p in narrative.splitlines() if p.strip()],
        "closing": (
            f"Trên đây là báo cáo kết quả hoạt động {portal} {label}, triển khai phương hướng, "
            f"nhiệm vụ {remaining} năm {period['year']}, {unit.name} báo cáo {recipient}./."
        ),
        "recipients": [f"- {recipient} (b/c);", "- Thành viên Ban Biên tập;", "- Lưu: VT."],
        "signer": {
            "title": (head.title if head else "THỦ TRƯỞNG ĐƠN VỊ").upper(),
            "name": head.name if head else "",
        },
        "figures": figures,
    }


def _template_bytes(kind: str) -> bytes:
    custom = ReportTemplate.objects.filter(kind=kind).first()
    if custom is not None:
        with custom.file.open("rb") as f:
            return f.read()
    return build_default_template()


def render_docx(context: dict, kind: str = "quarterly", template: bytes | None = None) -> bytes:
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template or _template_bytes(kind)))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def validate_template(data: bytes, sample_context: dict) -> None:
    """Refuse a template that is not a DOCX or does not render; say why."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cong.core.uploads import UploadRejected, check_upload

    try:
        check_upload(SimpleUploadedFile("mau.docx", data), allowed={"docx"}, max_bytes=10 * 1024 * 1024)
    except UploadRejected as exc:
        raise ApplicationError(exc.message, field="file") from exc
    try:
        render_docx(sample_context, template=data)
    except Exception as exc:  # docxtpl/jinja raise many kinds: report the reason
        raise ApplicationError(f"Mẫu báo cáo không dùng được: {exc}", field="file") from exc


def docx_to_pdf(data: bytes) -> bytes:
    """Convert with LibreOffice headless; ApplicationError when it is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ApplicationError(
            "Chưa cài LibreOffice nên không xuất được PDF (apt-get install libreoffice-writer-nogui).",
            field="format",
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bao-cao.docx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        subprocess.run(  # noqa: S603 - fixed arguments, our own file
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )
        return (Path(tmp) / "bao-cao.pdf").read_bytes()


def render_json(figures: dict) -> bytes:
    return json.dumps(figures, ensure_ascii=False, indent=2, default=str).encode()
