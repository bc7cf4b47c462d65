"""Reads of the gazette: the faceted register search, validity on a date,
posting deadlines and the reporting contract.

Designed for hundreds of thousands of documents: every filter is an indexed
column, full text goes through FTS5 / a GIN index, lists are bounded (keyset
cursor or a capped page number) and facet counts are computed on the
filtered set only, cached under the ``gazette`` cache version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from cong.core import cache_version
from cong.core.cache_version import LocalCache
from cong.core.vn import fold

from .models import (
    ENDING_EVENTS,
    PARTIAL_EVENTS,
    RELATION_INVERSE,
    EventKind,
    FacetCount,
    GazetteIssue,
    LegalDocument,
    ValidityStatus,
)
from .services import CACHE_SCOPE, name_key

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 500  # deeper than this, use the keyset cursor
FACET_LIMIT = 30
_cache = LocalCache(maxsize=2048)
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Filters:
    """What the register, the API and the exports filter on."""

    q: str = ""
    doc_type: str = ""
    issuer: str = ""
    field: str = ""
    signer: str = ""
    year: int | None = None
    normative: bool | None = None
    status: str = ""
    on: dt.date | None = None
    portal_id: int | None = None
    posted_from: dt.date | None = None
    posted_to: dt.date | None = None

    def key(self) -> tuple:
        return tuple(sorted((k, str(v)) for k, v in asdict(self).items() if v not in ("", None, ())))

    def status_date(self) -> dt.date:
        return self.on or timezone.localdate()


def _fts_sqlite(q: str) -> str:
    """An FTS5 expression: every folded word must appear; quoted parts are phrases."""
    parts = []
    for phrase in re.findall(r'"([^"]+)"', q):
        words = _TOKEN.findall(fold(phrase))
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = re.sub(r'"[^"]*"', " ", q)
    parts += [f'"{w}"' for w in _TOKEN.findall(fold(rest))]
    return " ".join(parts)


FTS_DENSE = 2000
# a filtered list of at most this many documents is read by id and sorted
LOOKUP_LIMIT = 2000
_FTS_MATCHES = "IN (SELECT rowid FROM gazette_legaldocument_fts WHERE gazette_legaldocument_fts MATCH %s)"
_FTS_LOOKUP = "gazette_legaldocument.id " + _FTS_MATCHES
_FTS_SCAN = "+gazette_legaldocument.id " + _FTS_MATCHES


def _fts_count(expression: str) -> int:
    """Documents matching an FTS5 expression (what decides how a text query
    is planned; the page, the count and the facets of one search all ask):
    counted once per register version."""

    def compute():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM gazette_legaldocument_fts WHERE gazette_legaldocument_fts MATCH %s",
                [expression],
            )
            return cursor.fetchone()[0]

    return _cached("fts-count", Filters(), compute, extra=(expression,))


# the words of a query, all of them, against a document's vector
_PG_COUNT = "SELECT count(*) FROM gazette_legaldocument_vector WHERE tsv @@ plainto_tsquery('cong_vi'::regconfig, %s)"
_PG_MATCHES = ("gazette_legaldocument.id IN (SELECT doc_id FROM gazette_legaldocument_vector"
               " WHERE tsv @@ plainto_tsquery('cong_vi'::regconfig, %s))")
_PG_PROBE = ("(SELECT v.tsv FROM gazette_legaldocument_vector v WHERE v.doc_id = gazette_legaldocument.id)"
             " @@ plainto_tsquery('cong_vi'::regconfig, %s)")
# a text query whose other filters select at most this many documents is
# counted by testing each of them (one key lookup each), not by reading
# every match of the words
PROBE_LIMIT = 10000


def _pg_words(q: str) -> str:
    return " ".join(_TOKEN.findall(fold((q or "").strip()[:200])))


def _others(filters: Filters, limit: int) -> Filters | None:
    """A text query's other filters when they select at most ``limit``
    documents (counted by their indexes, cached); None for the whole network
    or a larger selection."""
    rest = Filters(**{**asdict(filters), "q": ""})
    if rest == Filters(on=filters.on) or documents_count(rest) > limit:
        return None
    return rest


def _pg_probed(filters: Filters) -> QuerySet | None:
    """A text query's documents found by testing each document its other
    filters select, by key, when they select at most PROBE_LIMIT (counted by
    their indexes, cached): for a count or an unordered read, cheaper than
    reading every match of common words. None when they select more."""
    words = _pg_words(filters.q)
    rest = _others(filters, PROBE_LIMIT) if words else None
    if rest is None:
        return None
    return documents_filter(rest).extra(where=[_PG_PROBE], params=[words])  # noqa: S610


def _text_selection(filters: Filters) -> QuerySet:
    """The documents of ``filters``, by testing the few documents of a text
    query's other filters on PostgreSQL (_pg_probed), else documents_filter."""
    probed = _pg_probed(filters) if connection.vendor == "postgresql" else None
    return probed if probed is not None else documents_filter(filters)


def _pg_text_count(filters: Filters) -> int:
    """How many documents a text query selects, on PostgreSQL: the network's
    text alone from the vector table; with few other documents, by testing
    them; else as documents_filter plans it."""
    words = _pg_words(filters.q)
    if words and filters == Filters(q=filters.q, on=filters.on):
        with connection.cursor() as cursor:
            cursor.execute(_PG_COUNT, [words])
            return cursor.fetchone()[0]
    return _text_selection(filters).count()


# SQLite: a broad text query whose other filters select at most
# INTERSECT_LIMIT documents. Each statement of the register (page, count,
# facets) would read every match of the words again (tens of thousands of
# ids into a temporary index); instead one statement reads the ids of the
# documents selected, kept per register version, and the page, the count
# and the facets read them by id (a JSON array, one parameter).
INTERSECT_LIMIT = 50000
_IDS_JSON = "gazette_legaldocument.id IN (SELECT value FROM json_each(%s))"
_text_ids = LocalCache(maxsize=16)


def _sqlite_text_ids(filters: Filters, expression: str) -> str | None:
    """The ids (a JSON array) of a broad text query's documents when its
    other filters select at most INTERSECT_LIMIT documents; else None."""
    rest = _others(filters, INTERSECT_LIMIT)
    if rest is None:
        return None

    def compute():
        selected = documents_filter(rest).extra(where=[_FTS_SCAN], params=[expression])  # noqa: S610
        return json.dumps(list(selected.order_by().values_list("pk", flat=True)))

    return _text_ids.get_or_set(filters.key(), cache_version.current(CACHE_SCOPE), compute)


def clear_local_caches() -> None:
    """Forget what this process keeps of the register (the benchmark's cold runs)."""
    for local in (_cache, _text_ids):
        local.clear()


def _text_filter(qs: QuerySet, filters: Filters) -> QuerySet:
    q = (filters.q or "").strip()[:200]
    if not q:
        return qs
    if connection.vendor == "postgresql":
        words = _pg_words(q)
        if not words:
            return qs
        # the narrow vector table of migration 0006 and its GIN index: the
        # planner looks the matches up, or walks the list's index and tests
        # each document by its key
        return qs.extra(where=[_PG_MATCHES], params=[words])  # noqa: S610
    if connection.vendor == "sqlite":
        expression = _fts_sqlite(q)
        if not expression:
            return qs
        # A broad query (thousands of matches): walk the list's index in order
        # and test membership ("+" keeps SQLite from looking the matches up
        # one by one and sorting them all); a narrow one: look the matches up.
        dense = _fts_count(expression) > FTS_DENSE
        ids = _sqlite_text_ids(filters, expression) if dense else None
        if ids is not None:
            return qs.extra(where=[_IDS_JSON], params=[ids])  # noqa: S610
        return qs.extra(where=[_FTS_SCAN if dense else _FTS_LOOKUP], params=[expression])  # noqa: S610
    for word in _TOKEN.findall(fold(q)):  # other databases: slow, but correct
        qs = qs.filter(search_text__contains=word)
    return qs


def status_q(status: str, day: dt.date) -> Q:
    """Documents whose status on ``day`` is ``status``, on the indexed columns."""
    in_force = Q(in_force_from__lte=day) & (Q(in_force_until__isnull=True) | Q(in_force_until__gt=day))
    if status == ValidityStatus.IN_FORCE:
        return in_force & (Q(partial_from__isnull=True) | Q(partial_from__gt=day))
    if status == ValidityStatus.PARTIAL:
        return in_force & Q(partial_from__lte=day)
    if status == ValidityStatus.EXPIRED:
        return Q(in_force_until__lte=day)
    if status == ValidityStatus.NOT_YET:
        return Q(in_force_from__gt=day) & (Q(in_force_until__isnull=True) | Q(in_force_until__gt=day))
    if status == ValidityStatus.UNKNOWN:
        return Q(in_force_from__isnull=True) & (Q(in_force_until__isnull=True) | Q(in_force_until__gt=day))
    return Q()


def documents_filter(filters: Filters, *, base: QuerySet | None = None) -> QuerySet:
    qs = base if base is not None else LegalDocument.objects.all()
    if filters.portal_id:
        qs = qs.filter(portal_id=filters.portal_id)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.issuer:
        qs = qs.filter(issuer_key=name_key(filters.issuer))
    if filters.field:
        qs = qs.filter(field_key=name_key(filters.field))
    if filters.signer:
        qs = qs.filter(signer_key=name_key(filters.signer))
    if filters.year is not None:
        # as a range of the issue date: a walk of the list's (issued_on, id)
        # index starts at the year instead of passing the later years
        if not dt.MINYEAR <= filters.year <= dt.MAXYEAR:
            return qs.none()
        qs = qs.filter(issued_on__range=(dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31)))
    if filters.normative is not None:
        qs = qs.filter(normative=filters.normative)
    if filters.posted_from:
        qs = qs.filter(posted_on__gte=filters.posted_from)
    if filters.posted_to:
        qs = qs.filter(posted_on__lte=filters.posted_to)
    if filters.status:
        qs = qs.filter(status_q(filters.status, filters.status_date()))
    return _text_filter(qs, filters)


LIST_FIELDS = (
    "id", "portal_id", "number", "doc_type", "normative", "issuer_name", "signer", "signer_title",
    "issued_on", "effective_on", "expires_on", "field", "summary", "gazette_number", "gazette_date",
    "posted_at", "in_force_from", "in_force_until", "partial_from", "needs_ocr",
)


def documents_page(filters: Filters, *, page: int = 1, size: int = PAGE_SIZE,
                   after: str = "") -> tuple[list[LegalDocument], str]:
    """One page of documents, newest issue date first, and the cursor of
    the next page ('' at the end). ``after`` is a cursor of a previous page;
    without one, ``page`` counts from 1, up to MAX_PAGE."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    position: tuple[dt.date, int] | None = None
    if after:
        try:
            day_s, pk_s = after.split("_", 1)
            position = (dt.date.fromisoformat(day_s), int(pk_s))
        except ValueError:
            position = None
    start = 0 if after else (max(1, min(page, MAX_PAGE)) - 1) * size
    if connection.vendor == "postgresql" and not _whole_register(filters) \
            and documents_count(filters) <= LOOKUP_LIMIT:
        rows = _few_documents_window(filters, position, start, size + 1)
    else:
        qs = documents_filter(filters).only(*LIST_FIELDS).order_by("-issued_on", "-id")
        if position is not None:
            day, pk = position
            qs = qs.filter(Q(issued_on__lt=day) | Q(issued_on=day, id__lt=pk))
        rows = list(qs[start: start + size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor = f"{rows[-1].issued_on.isoformat()}_{rows[-1].pk}" if more and rows else ""
    return rows, cursor


def _few_documents_window(filters: Filters, position, start: int, n: int) -> list[LegalDocument]:
    """``n`` documents of a selection of at most LOOKUP_LIMIT, newest first,
    from ``start`` or after ``position``: their (date, id) keys are read by
    the filters' own indexes and sorted here, then the window's rows are
    read by id. Asked to sort, PostgreSQL would walk the list's (issued_on,
    id) index from the newest, expecting the matches spread over time, and
    pass a hundred thousand documents when they are old (the expired ones,
    a past year)."""
    keys = sorted(_text_selection(filters).order_by().values_list("issued_on", "id"), reverse=True)
    if position is not None:
        keys = [k for k in keys if k < position]
        start = 0
    window = [pk for _day, pk in keys[start: start + n]]
    found = LegalDocument.objects.only(*LIST_FIELDS).in_bulk(window)
    return [found[pk] for pk in window if pk in found]


def _cached(kind: str, filters: Filters, compute, *, extra=()):
    """A value for these filters, cached in the process and in the shared
    cache (Redis in production), under the ``gazette`` cache version."""
    from django.core.cache import cache

    version = cache_version.current(CACHE_SCOPE)
    key = (kind, filters.key(), extra)

    def shared():
        name = "gazette:" + hashlib.sha256(repr((key, version)).encode()).hexdigest()
        value = cache.get(name)
        if value is None:
            value = compute()
            cache.set(name, value, 600)
        return value

    return _cache.get_or_set(key, version, shared)


def _whole_register(filters: Filters) -> bool:
    """A portal's or the network's whole list (the date of validity aside):
    its counts come from FacetCount."""
    return not any((filters.q.strip(), filters.doc_type, filters.issuer, filters.field, filters.signer,
                    filters.year is not None, filters.normative is not None, filters.status, filters.posted_from,
                    filters.posted_to))


def _precomputed(filters: Filters) -> QuerySet:
    qs = FacetCount.objects.all()
    if filters.portal_id:
        qs = qs.filter(portal_id=filters.portal_id)
    return qs


def documents_count(filters: Filters) -> int:
    def compute():
        if _whole_register(filters):
            return _precomputed(filters).filter(facet="normative").aggregate(n=Sum("count"))["n"] or 0
        if connection.vendor == "sqlite" and filters.q.strip() and filters == Filters(q=filters.q, on=filters.on):
            # the network's text search alone: the FTS table has a row per document
            expression = _fts_sqlite(filters.q.strip()[:200])
            if expression:
                return _fts_count(expression)
        if connection.vendor == "postgresql" and filters.q.strip():
            return _pg_text_count(filters)
        return documents_filter(filters).count()

    return _cached("count", filters, compute)


def documents_page_cached(filters: Filters, *, page: int = 1, size: int = PAGE_SIZE) -> tuple[list, str]:
    """The first pages of a list are read much more than the rest: cached."""
    if page > 3:
        return documents_page(filters, page=page, size=size)
    return _cached("page", filters, lambda: documents_page(filters, page=page, size=size), extra=(page, size))


FACETS = (
    ("doc_type", "doc_type", "doc_type"),
    ("issuer", "issuer_key", "issuer_name"),
    ("field", "field_key", "field"),
    ("year", "issued_year", "issued_year"),
    ("signer", "signer_key", "signer"),
)
# A text query matching more than FACET_ONE_PASS documents is counted over
# its newest FACET_SAMPLE matches (the page says so); every other selection
# is counted exactly.
FACET_ONE_PASS = 2000
FACET_SAMPLE = 2000
_FACET_COLUMNS = ("doc_type", "issuer_key", "issuer_name", "field_key", "field", "issued_year",
                  "signer_key", "signer", "normative", "in_force_from", "in_force_until", "partial_from")

# Every facet of a selection in one statement, counted by the database: the
# selection is read once into a temporary set (a materialised CTE; SQLite and
# other databases, PostgreSQL below), then grouped once per facet. The status on the day
# is the same rule as status_q. Counting in the database rather than row by
# row in Python keeps a 40,000-document selection in tens of milliseconds.
_FACETS_SQL = """
WITH s AS MATERIALIZED (
    SELECT doc_type, issuer_key, issuer_name, field_key, field, issued_year, signer_key, signer, normative,
           CASE WHEN in_force_until <= %s THEN 'expired' WHEN in_force_from IS NULL THEN 'unknown'
                WHEN in_force_from > %s THEN 'not_yet' WHEN partial_from <= %s THEN 'partial'
                ELSE 'in_force' END AS st
    FROM ({inner}) t)
SELECT 'doc_type', doc_type, NULL, count(*) FROM s GROUP BY doc_type
UNION ALL SELECT 'issuer', issuer_key, max(issuer_name), count(*) FROM s GROUP BY issuer_key
UNION ALL SELECT 'field', field_key, max(field), count(*) FROM s GROUP BY field_key
UNION ALL SELECT 'year', CAST(issued_year AS text), NULL, count(*) FROM s GROUP BY issued_year
UNION ALL SELECT 'signer', signer_key, max(signer), count(*) FROM s GROUP BY signer_key
UNION ALL SELECT 'normative', CASE WHEN normative THEN '1' ELSE '0' END, NULL, count(*) FROM s GROUP BY normative
UNION ALL SELECT 'status', st, NULL, count(*) FROM s GROUP BY st
"""
# PostgreSQL: the same counts in one pass over the selection, by grouping
# sets (one hash table per facet, no temporary set), over the key columns
# only, which the list's covering indexes carry (migration 0006): the facets
# of a large selection or of a text query's newest matches are read from an
# index, not from a row per document. The labels come from FacetCount.
# GROUPING() tells which facet a row counts: one bit per column, set for the
# columns not grouped.
_FACETS_SQL_PG = """
SELECT GROUPING(doc_type, issuer_key, field_key, issued_year, signer_key, normative, st),
       doc_type, issuer_key, field_key, CAST(issued_year AS text), signer_key,
       CASE WHEN normative THEN '1' ELSE '0' END, st, count(*)
FROM (
    SELECT doc_type, issuer_key, field_key, issued_year, signer_key, normative,
           CASE WHEN in_force_until <= %s THEN 'expired' WHEN in_force_from IS NULL THEN 'unknown'
                WHEN in_force_from > %s THEN 'not_yet' WHEN partial_from <= %s THEN 'partial'
                ELSE 'in_force' END AS st
    FROM ({inner}) t) s
GROUP BY GROUPING SETS ((doc_type), (issuer_key), (field_key), (issued_year), (signer_key), (normative), (st))
"""
_PG_FACETS = ("doc_type", "issuer", "field", "year", "signer", "normative", "status")
_PG_KEY_COLUMNS = tuple(c for c in _FACET_COLUMNS if c not in ("issuer_name", "field", "signer"))


def _facet_rows_pg(qs: QuerySet, day: dt.date) -> list[tuple]:
    """(facet, key, label, count) rows, as _FACETS_SQL gives them."""
    inner, params = qs.values_list(*_PG_KEY_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_FACETS_SQL_PG.format(inner=inner), [day, day, day, *params])
        rows = cursor.fetchall()
    out = []
    for row in rows:
        # the facet whose column is grouped: its bit, counted from the left, is clear
        i = next(i for i in range(len(_PG_FACETS)) if not row[0] & (1 << (len(_PG_FACETS) - 1 - i)))
        out.append((_PG_FACETS[i], row[1 + i], row[8]))
    labelled = {(f, k) for f, k, _n in out if f in ("issuer", "field", "signer") and k}
    labels: dict = {}
    if labelled:
        found = (FacetCount.objects.filter(facet__in={f for f, _k in labelled}, key__in={k for _f, k in labelled})
                 .order_by().values_list("facet", "key").annotate(label=Max("label")))
        labels = {(f, k): label for f, k, label in found}
    return [(f, k, labels.get((f, k), k) if (f, k) in labelled else None, n) for f, k, n in out]


def _facets_counted(qs: QuerySet, day: dt.date) -> dict:
    """The facets of the documents ``qs`` selects (it may be sliced)."""
    from collections import Counter

    if connection.vendor == "postgresql":
        rows = _facet_rows_pg(qs, day)
    else:
        inner, params = qs.values_list(*_FACET_COLUMNS).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(_FACETS_SQL.format(inner=inner), [day, day, day, *params])
            rows = cursor.fetchall()
    counters = {name: Counter() for name, _k, _l in FACETS}
    labels: dict = {}
    normative, status = Counter(), Counter()
    for facet, key, label, n in rows:
        if facet == "normative":
            normative[key == "1"] += n
        elif facet == "status":
            status[key] += n
        elif facet == "year":
            counters["year"][int(key)] += n
        elif key:
            counters[facet][key] += n
            if label is not None:
                labels[(facet, key)] = label
    return _facets_finish(counters, labels, normative, status)


def _facets_finish(counters, labels, normative, status) -> dict:
    result = {}
    for name, _key, _label in FACETS:
        values = [
            {"value": labels.get((name, k), k), "label": labels.get((name, k), k), "count": n}
            for k, n in sorted(counters[name].items(), key=lambda kv: (-kv[1], str(kv[0])))[:FACET_LIMIT]
            if k not in ("", None)
        ]
        result[name] = values
    result["normative"] = [
        {"value": "1", "label": "QPPL", "count": normative.get(True, 0)},
        {"value": "0", "label": "other", "count": normative.get(False, 0)},
    ]
    result["status"] = [
        {"value": s, "label": str(ValidityStatus(s).label), "count": status.get(s, 0)} for s in ValidityStatus.values
    ]
    return result


def _status_counts(filters: Filters, day: dt.date, total: int) -> dict:
    """Documents per status on ``day`` over a whole register, by index range
    counts: expired (until <= day), then among the others: unknown (no start),
    not yet (start after day), partial (partly repealed by day); in force is
    the rest."""
    base = documents_filter(Filters(portal_id=filters.portal_id)).order_by()
    alive = Q(in_force_until__isnull=True) | Q(in_force_until__gt=day)
    expired = base.filter(in_force_until__lte=day).count()
    unknown = base.filter(Q(in_force_from__isnull=True) & alive).count()
    not_yet = base.filter(Q(in_force_from__gt=day) & alive).count()
    partial = base.filter(Q(partial_from__lte=day, in_force_from__lte=day) & alive).count()
    return {ValidityStatus.EXPIRED: expired, ValidityStatus.UNKNOWN: unknown, ValidityStatus.NOT_YET: not_yet,
            ValidityStatus.PARTIAL: partial,
            ValidityStatus.IN_FORCE: total - expired - unknown - not_yet - partial}


def _facets_precomputed(filters: Filters, day: dt.date) -> dict:
    """The facets of a whole register from FacetCount, the statuses by range."""
    from collections import Counter

    counters = {name: Counter() for name, _k, _l in FACETS}
    labels: dict = {}
    normative: Counter = Counter()
    rows = (_precomputed(filters).order_by().values("facet", "key")
            .annotate(n=Sum("count"), label=Max("label")))
    for r in rows:
        if r["facet"] == "normative":
            normative[r["key"] == "1"] += r["n"]
        elif r["facet"] == "year":
            counters["year"][int(r["key"])] += r["n"]
        else:
            counters[r["facet"]][r["key"]] += r["n"]
            if r["facet"] != "doc_type":
                labels[(r["facet"], r["key"])] = r["label"]
    total = sum(normative.values())
    return _facets_finish(counters, labels, normative, Counter(_status_counts(filters, day, total)))


def _facets_compute(filters: Filters) -> dict:
    day = filters.status_date()
    total = documents_count(filters)
    sampled = 0
    if _whole_register(filters) and total > FACET_ONE_PASS:
        result = _facets_precomputed(filters, day)
    elif filters.q.strip() and total > FACET_ONE_PASS:
        # on PostgreSQL, by testing the few documents of the other filters
        # when they are few, else by a walk of the list's covering index
        result = _facets_counted(_text_selection(filters).order_by("-issued_on", "-id")[:FACET_SAMPLE], day)
        sampled = FACET_SAMPLE
    else:
        result = _facets_counted(documents_filter(filters).order_by(), day)
    for name in ("year",):
        result[name].sort(key=lambda e: -int(e["value"]))
    result["sampled"] = sampled
    return result


def documents_facets(filters: Filters) -> dict:
    """Counts per value of each facet over the filtered documents
    (``sampled`` > 0: over that many newest matches of a broad text query)."""
    return _cached("facets", filters, lambda: _facets_compute(filters))


def document_get(pk: int, *, portal_id: int | None = None) -> LegalDocument | None:
    qs = LegalDocument.objects.select_related("portal__site", "portal__unit", "issuer_unit__successor", "gazette_issue")
    if portal_id:
        qs = qs.filter(portal_id=portal_id)
    return qs.filter(pk=pk).first()


def documents_newest(*, portal_id: int | None = None, limit: int = 10) -> list[LegalDocument]:
    qs = LegalDocument.objects.only(*LIST_FIELDS)
    if portal_id:
        qs = qs.filter(portal_id=portal_id)
    return list(qs.order_by("-issued_on", "-id")[:limit])


# --- Validity ------------------------------------------------------------------------


def document_status_on(doc: LegalDocument, day: dt.date) -> str:
    """The status of a document on ``day``, from its dated events."""
    events = [e for e in doc.events.all() if e.on <= day]
    if any(e.kind in ENDING_EVENTS for e in events):
        return ValidityStatus.EXPIRED
    started = any(e.kind == EventKind.EFFECTIVE for e in events)
    if not started:
        if doc.events.filter(kind=EventKind.EFFECTIVE).exists():
            return ValidityStatus.NOT_YET
        return ValidityStatus.UNKNOWN
    if any(e.kind in PARTIAL_EVENTS for e in events):
        return ValidityStatus.PARTIAL
    return ValidityStatus.IN_FORCE


def document_history(doc: LegalDocument) -> list:
    return list(doc.events.select_related("caused_by").order_by("on", "id"))


def document_relations(doc: LegalDocument) -> list[dict]:
    """Relations both ways: what this document does to others, and what
    others do to it."""
    rows = []
    for r in doc.relations_out.select_related("target"):
        rows.append({"label": r.get_kind_display(), "document": r.target, "direction": "out", "kind": r.kind})
    for r in doc.relations_in.select_related("source"):
        rows.append({"label": RELATION_INVERSE[r.kind], "document": r.source, "direction": "in", "kind": r.kind})
    return rows


# --- Gazette issues --------------------------------------------------------------------


def issues_list(*, portal_id: int | None = None, year: int | None = None, limit: int = 100) -> list[GazetteIssue]:
    qs = GazetteIssue.objects.select_related("portal__unit").annotate(documents_count=Count("documents"))
    if portal_id:
        qs = qs.filter(portal_id=portal_id)
    if year:
        qs = qs.filter(year=year)
    return list(qs.order_by("-year", "-number")[:limit])


def issue_documents(issue: GazetteIssue) -> list[LegalDocument]:
    return list(issue.documents.order_by("gazette_position", "id"))


# --- Posting deadlines and the reporting contract -------------------------------------


def late_postings(portal, *, start: dt.date | None = None, end: dt.date | None = None,
                  today: dt.date | None = None) -> QuerySet:
    """Documents posted after their deadline, and documents not posted
    although their deadline has passed; by deadline."""
    today = today or timezone.localdate()
    missing = Q(posted_on__isnull=True, posting_deadline__lt=today)
    late = Q(posted_late=True)
    qs = LegalDocument.objects.filter(portal=portal).filter(late | missing)
    if start:
        qs = qs.filter(Q(posted_on__gte=start) | Q(posted_on__isnull=True, posting_deadline__gte=start))
    if end:
        qs = qs.filter(Q(posted_on__lte=end) | Q(posted_on__isnull=True, posting_deadline__lte=end))
    return qs.order_by("posting_deadline", "id")


def documents_posted_count(unit, start: dt.date, end: dt.date) -> dict[str, int]:
    """Documents of the unit's portal posted from ``start`` to ``end``
    (inclusive, local dates): {"normative": n, "other": m}."""
    portal = getattr(unit, "portal", None)
    if portal is None:
        return {"normative": 0, "other": 0}
    rows = dict(
        LegalDocument.objects.filter(portal=portal, posted_on__gte=start, posted_on__lte=end)
        .order_by().values_list("normative").annotate(n=Count("id"))
    )
    return {"normative": rows.get(True, 0), "other": rows.get(False, 0)}


def late_postings_count(unit, start: dt.date, end: dt.date) -> int:
    """Postings of the period that were late: documents posted in the
    period after their deadline, plus documents never posted whose deadline
    fell in the period and has passed."""
    portal = getattr(unit, "portal", None)
    if portal is None:
        return 0
    return late_postings(portal, start=start, end=end).count()
