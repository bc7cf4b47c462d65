"""The EMC monitoring code (Circular 22/2023): accepted only as one external
script from an allowed government host, never as free HTML."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

ALLOWED_ATTRS = {"src", "id", "async", "defer", "type"}


@dataclass(frozen=True)
class EmcSnippet:
    src: str
    attrs: tuple[tuple[str, str], ...]

    @property
    def origin(self) -> str:
        parts = urlsplit(self.src)
        return f"{parts.scheme}://{parts.netloc}"


class _ScriptParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[list[tuple[str, str | None]]] = []
        self.other: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(attrs)
        else:
            self.other.append(tag)

    def handle_data(self, data):
        if data.strip():
            self.text.append(data)


def allowed_host(host: str) -> bool:
    suffixes = getattr(settings, "CONG_EMC_HOST_SUFFIXES", ("gov.vn",))
    host = host.lower()
    return any(host == s or host.endswith("." + s) for s in suffixes)


def parse_emc_snippet(snippet: str) -> EmcSnippet:
    """Return the script the snippet loads; raise ValueError for anything else."""
    parser = _ScriptParser()
    parser.feed(snippet)
    parser.close()
    if parser.other or parser.text or len(parser.scripts) != 1:
        raise ValueError(
            "Mã EMC phải là đúng một thẻ <script src=\"https://…\"></script>, "
            "không có mã nội tuyến."
        )
    attrs = parser.scripts[0]
    names = {name for name, _ in attrs}
    if not all(n in ALLOWED_ATTRS or n.startswith("data-") for n in names):
        raise ValueError("Thẻ <script> của mã EMC có thuộc tính không được phép.")
    src = dict(attrs).get("src") or ""
    parts = urlsplit(src)
    if parts.scheme != "https" or not parts.hostname or not allowed_host(parts.hostname):
        raise ValueError(
            "Mã EMC phải tải từ một địa chỉ https thuộc tên miền .gov.vn."
        )
    kept = tuple((n, v or "") for n, v in attrs if n != "src")
    return EmcSnippet(src=src, attrs=kept)
