"""Outbound links in content, checked against the province's blocklist."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from .models import BlockedLinkDomain

URL_RE = re.compile(r"""(?i)\b(?:https?:)?//([^\s/"'<>?#\\]+)""")


def hosts_in(text: str) -> set[str]:
    hosts = set()
    for match in URL_RE.finditer(text or ""):
        host = match.group(1).rsplit("@", 1)[-1].split(":", 1)[0].strip(".").lower()
        if host:
            hosts.add(host)
    return hosts


def blocked_hosts(hosts: set[str]) -> set[str]:
    if not hosts:
        return set()
    candidates = {}
    for host in hosts:
        labels = host.split(".")
        for i in range(len(labels) - 1):
            candidates.setdefault(".".join(labels[i:]), set()).add(host)
    found = BlockedLinkDomain.objects.filter(domain__in=candidates).values_list("domain", flat=True)
    return {h for d in found for h in candidates[d]}


def page_text(page) -> str:
    """Every text and link of a page's own fields, StreamFields included."""
    parts = []
    for field in page._meta.concrete_fields:
        value = getattr(page, field.attname, None)
        if value is None:
            continue
        raw = getattr(value, "raw_data", None)
        if raw is not None:
            parts.append(json.dumps(list(raw), ensure_ascii=False, default=str))
        elif isinstance(value, str):
            parts.append(value)
    return "\n".join(parts)


def blocked_links_of_page(page) -> set[str]:
    return blocked_hosts(hosts_in(page_text(page)))


def url_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
