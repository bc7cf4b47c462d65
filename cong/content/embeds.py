"""External video addresses turned into embeds that load only on request."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YT_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def youtube_embed_url(url: str) -> str:
    """The youtube-nocookie embed address of a YouTube link, or ''."""
    if not url:
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    video_id = ""
    if host in ("youtu.be",):
        video_id = parts.path.strip("/")
    elif host.endswith("youtube.com") or host.endswith("youtube-nocookie.com"):
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parts.path.split("/")[2]
    if not _YT_ID.match(video_id or ""):
        return ""
    return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"
