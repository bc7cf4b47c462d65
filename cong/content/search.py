"""Vietnamese search over information items.

Every item indexes its text folded to ASCII (diacritics removed, đ → d) in
``search_folded``; queries are folded the same way, so "chuyen doi so" finds
"chuyển đổi số" on SQLite FTS5, PostgreSQL full text or OpenSearch alike.
A query typed with diacritics then ranks the items that contain it exactly
(with its diacritics) first. Quoted parts are searched as phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wagtail.search.query import And, Phrase, PlainText

from cong.core.vn import fold

__all__ = ["ParsedQuery", "exact_score", "fold", "has_diacritics", "parse"]

_QUOTED = re.compile(r'"([^"]+)"')


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    phrases: tuple[str, ...]
    words: str

    @property
    def empty(self) -> bool:
        return not self.phrases and not self.words.strip()

    def expression(self):
        """The Wagtail search expression on folded text."""
        parts = [Phrase(fold(p)) for p in self.phrases]
        if self.words.strip():
            parts.append(PlainText(fold(self.words), operator="and"))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)

    def exact_terms(self) -> list[str]:
        """What must appear verbatim for an item to rank first."""
        if not has_diacritics(self.raw):
            return []
        terms = [p.lower() for p in self.phrases]
        terms += [w.lower() for w in self.words.split() if has_diacritics(w)]
        return terms


def parse(query: str) -> ParsedQuery:
    query = (query or "").strip()[:200]
    phrases = tuple(p.strip() for p in _QUOTED.findall(query) if p.strip())
    words = _QUOTED.sub(" ", query).replace('"', " ")
    return ParsedQuery(raw=query, phrases=phrases, words=words)


def exact_score(text: str, terms: list[str]) -> int:
    lowered = text.lower()
    return sum(1 for t in terms if t in lowered)
