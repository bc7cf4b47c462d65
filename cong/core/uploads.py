"""Checks every uploaded file by its bytes, not by its name.

A file is accepted only when its content is what its name claims (a PDF
starts with ``%PDF-``, a DOCX is a zip holding ``word/document.xml``, an
image decodes), when it is not larger than allowed, and when it cannot
expand into something much larger (zip and image decompression bombs).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from cong.core.errors import ApplicationError

MB = 1024 * 1024
ZIP_MAX_UNCOMPRESSED = 200 * MB
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 5000
IMAGE_MAX_PIXELS = 40_000_000

EXTENSIONS = {
    "pdf": "pdf", "docx": "docx", "doc": "doc", "xlsx": "xlsx", "xls": "xls",
    "odt": "odt", "ods": "ods", "pptx": "pptx", "png": "png", "jpg": "jpeg",
    "jpeg": "jpeg", "gif": "gif", "webp": "webp", "mp4": "mp4", "webm": "webm",
    "vtt": "vtt", "csv": "text", "txt": "text",
}
LABELS = {
    "pdf": "PDF", "docx": "DOCX", "doc": "DOC", "xlsx": "XLSX", "xls": "XLS",
    "odt": "ODT", "ods": "ODS", "pptx": "PPTX", "png": "PNG", "jpeg": "JPEG",
    "gif": "GIF", "webp": "WebP", "mp4": "MP4", "webm": "WebM", "vtt": "WebVTT",
    "text": "văn bản thuần",
}


class UploadRejected(ApplicationError):
    """An uploaded file refused by its bytes (type, size, content)."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    size: int


def _read_all(f) -> bytes:
    pos = f.tell() if hasattr(f, "tell") else 0
    if hasattr(f, "seek"):
        f.seek(0)
    data = f.read()
    if hasattr(f, "seek"):
        f.seek(pos)
    return data


def _zip_members(data: bytes, name: str) -> set[str]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadRejected(f"Tệp {name} bị hỏng hoặc không đúng định dạng.") from exc
    if len(infos) > ZIP_MAX_ENTRIES:
        raise UploadRejected(f"Tệp {name} chứa quá nhiều thành phần.")
    total = sum(i.file_size for i in infos)
    if total > ZIP_MAX_UNCOMPRESSED or (data and total / max(len(data), 1) > ZIP_MAX_RATIO):
        raise UploadRejected(
            f"Tệp {name} bị từ chối: khi giải nén sẽ lớn bất thường (nghi là bom nén)."
        )
    for i in infos:
        p = PurePosixPath(i.filename)
        if p.is_absolute() or ".." in p.parts:
            raise UploadRejected(f"Tệp {name} chứa đường dẫn không hợp lệ.")
    return {i.filename for i in infos}


def _sniff(data: bytes, claimed: str, name: str) -> str:
    head = data[:16]
    if claimed == "pdf":
        return "pdf" if data[:1024].lstrip().startswith(b"%PDF-") else ""
    if claimed in ("docx", "xlsx", "pptx", "odt", "ods"):
        if not head.startswith(b"PK\x03\x04"):
            return ""
        members = _zip_members(data, name)
        marker = {
            "docx": "word/document.xml", "xlsx": "xl/workbook.xml",
            "pptx": "ppt/presentation.xml", "odt": "content.xml", "ods": "content.xml",
        }[claimed]
        return claimed if marker in members else ""
    if claimed in ("doc", "xls"):
        return claimed if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") else ""
    if claimed in ("png", "jpeg", "gif", "webp"):
        return _image_kind(data, name)
    if claimed == "mp4":
        return "mp4" if data[4:8] == b"ftyp" else ""
    if claimed == "webm":
        return "webm" if head.startswith(b"\x1a\x45\xdf\xa3") else ""
    if claimed == "vtt":
        return "vtt" if data.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT") else ""
    if claimed == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return ""
        return "text" if b"\x00" not in data else ""
    return ""


def _image_kind(data: bytes, name: str) -> str:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            if width * height > IMAGE_MAX_PIXELS:
                raise UploadRejected(
                    f"Ảnh {name} quá lớn ({width}×{height} điểm ảnh); tối đa "
                    f"{IMAGE_MAX_PIXELS // 1_000_000} triệu điểm ảnh."
                )
            fmt = (im.format or "").lower()
            im.verify()
    except UploadRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRejected(f"Ảnh {name} bị từ chối: kích thước giải nén bất thường.") from exc
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image"
        return ""
    return {"jpeg": "jpeg", "png": "png", "gif": "gif", "webp": "webp"}.get(fmt, "")


def check_upload(f, *, allowed: set[str] | frozenset[str], max_bytes: int) -> CheckedUpload:
    """Accept ``f`` (a Django UploadedFile or file-like with ``name``) or raise
    UploadRejected with a message in Vietnamese saying why."""
    name = PurePosixPath(getattr(f, "name", "") or "tệp").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSIONS.get(ext)
    allowed_kinds = {EXTENSIONS.get(a, a) for a in allowed}
    if claimed is None or claimed not in allowed_kinds:
        shown = ", ".join(sorted({a.upper() for a in allowed}))
        raise UploadRejected(f"Không nhận tệp {name}: chỉ nhận các loại {shown}.")
    size = getattr(f, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            f"Tệp {name} quá lớn ({size / MB:.1f} MB); tối đa {max_bytes / MB:.0f} MB."
        )
    data = _read_all(f)
    if len(data) > max_bytes:
        raise UploadRejected(f"Tệp {name} quá lớn; tối đa {max_bytes / MB:.0f} MB.")
    if not data:
        raise UploadRejected(f"Tệp {name} rỗng.")
    kind = _sniff(data, claimed, name)
    if kind != claimed:
        raise UploadRejected(
            f"Nội dung tệp {name} không phải {LABELS[claimed]} như tên tệp cho biết."
        )
    return CheckedUpload(kind=kind, size=len(data))
