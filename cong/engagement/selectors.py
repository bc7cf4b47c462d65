"""Reads of the engagement app, including the reporting contract."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from cong.content.search import parse
from cong.core.calendar import add_working_days
from cong.core.vn import fold

from .choices import NoticeStatus, QuestionStatus, SupportType
from .models import Consultation, Notice, Question, SupportCase

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in local time."""
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=LOCAL_TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=LOCAL_TZ)
    return lo, hi


def support_cases_count(unit, start: dt.date, end: dt.date) -> dict[str, int]:
    """Support cases of ``unit`` opened from ``start`` to ``end`` inclusive, by type."""
    lo, hi = _local_bounds(start, end)
    rows = (
        SupportCase.objects.filter(unit=unit, opened_at__gte=lo, opened_at__lt=hi)
        .values("case_type").annotate(n=Count("pk"))
    )
    result = dict.fromkeys(SupportType.values, 0)
    for row in rows:
        result[row["case_type"]] = row["n"]
    result["total"] = sum(result[t] for t in SupportType.values)
    return result


def _open_on(on_date: dt.date) -> Q:
    _lo, hi = _local_bounds(on_date, on_date)
    return Q(received_at__lt=hi) & (Q(closed_at__isnull=True) | Q(closed_at__gte=hi))


def overdue_questions_count(unit, on_date: dt.date) -> int:
    """Questions of ``unit``'s portal still unanswered at the end of
    ``on_date`` whose deadline was before that day."""
    return Question.objects.filter(_open_on(on_date), portal__unit=unit, due_on__lt=on_date).count()


def questions_overdue(portal_ids=None, today: dt.date | None = None) -> QuerySet[Question]:
    """Open questions past their answer deadline, or past the deadline for
    forwarding a question outside the portal's competence."""
    today = today or timezone.localdate()
    qs = Question.objects.filter(Q(due_on__lt=today) | Q(forward_due_on__lt=today),
                                 closed_at__isnull=True)
    if portal_ids is not None:
        qs = qs.filter(portal_id__in=portal_ids)
    return qs.select_related("portal__unit", "unit").order_by("due_on")


def questions_due_soon(today: dt.date, within: int = 2) -> QuerySet[Question]:
    """Open questions due (to answer, or to forward) within ``within``
    working days, or overdue."""
    limit = add_working_days(today, within)
    return Question.objects.filter(Q(due_on__lte=limit) | Q(forward_due_on__lte=limit),
                                   closed_at__isnull=True)


def question_by_code(code: str) -> Question | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return Question.objects.filter(tracking_code=code).select_related("portal__unit", "unit").first()


LIBRARY_LIMIT = 200


def answers_search(portal, query: str = ""):
    """The portal's answer library, newest first; with a query, the answers
    holding every word (diacritics optional, "quoted phrases" kept together)
    through the full-text index, at most ``LIBRARY_LIMIT`` of them."""
    # published_at IS NOT NULL lets the planner walk the partial index
    # eng_question_library newest first and stop at the limit.
    qs = Question.objects.filter(
        portal=portal, status=QuestionStatus.PUBLISHED, published_at__isnull=False,
    ).order_by("-published_at").only(
        "id", "portal_id", "status", "topic", "public_question", "published_at",
        "rating_count", "rating_total",
    )
    parsed = parse(query)
    expression = parsed.expression() if query.strip() else None
    if expression is None:
        return qs
    backend = get_search_backend()
    module = type(backend).__module__
    if module.startswith("modelsearch.backends.database.sqlite"):
        return list(qs.filter(pk__in=_sqlite_fts_ids(parsed))[:LIBRARY_LIMIT])
    if module.startswith("modelsearch.backends.database.postgres"):
        return list(qs.filter(pk__in=_postgres_fts_ids(parsed, backend))[:LIBRARY_LIMIT])
    return list(backend.search(expression, qs, order_by_relevance=False)[:LIBRARY_LIMIT])


_TOKEN = re.compile(r"[0-9a-z]+")


def _terms(parsed) -> tuple[list[list[str]], list[str]]:
    phrases = [_TOKEN.findall(fold(p)) for p in parsed.phrases]
    return [p for p in phrases if p], _TOKEN.findall(fold(parsed.words))


def _postgres_fts_ids(parsed, backend) -> RawSQL:
    """The ids of indexed questions matching every word and phrase, through
    the GIN index on the search entries' body (the backend's own query tests
    the text question by question, in a nested loop)."""
    phrases, words = _terms(parsed)
    parts = [" <-> ".join(p) for p in phrases] + words
    tsquery = " & ".join(f"({p})" for p in parts) or "''"
    config = getattr(backend, "config", None) or "simple"
    content_type = ContentType.objects.get_for_model(Question).pk
    return RawSQL(
        'SELECT e."object_id"::integer FROM "wagtailsearch_indexentry" e '
        'WHERE e."content_type_id" = %s AND e."body" @@ to_tsquery(%s::regconfig, %s)',
        (content_type, config, tsquery),
    )


def _sqlite_fts_ids(parsed) -> RawSQL:
    """The ids of indexed questions matching every word and phrase, from the
    search backend's own FTS5 table.

    The SQLite backend joins the FTS table after the entry table, which makes
    SQLite evaluate the MATCH once per indexed row (seconds on a few thousand
    answers); a CROSS JOIN keeps the full-text lookup first (milliseconds).
    """
    phrases, words = _terms(parsed)
    terms = [" ".join(p) for p in phrases] + words
    match = " AND ".join(f'"{t}"' for t in terms if t) or '""'
    content_type = ContentType.objects.get_for_model(Question).pk
    return RawSQL(
        'SELECT CAST(e."object_id" AS INTEGER) FROM "wagtailsearch_indexentry_fts" f '
        'CROSS JOIN "wagtailsearch_indexentry" e ON f."rowid" = e."id" '
        "WHERE \"wagtailsearch_indexentry_fts\" MATCH %s AND e.\"content_type_id\" = %s",
        (f"{{title body}} : ({match})", content_type),
    )


def notices_current(portal, now: dt.datetime | None = None) -> QuerySet[Notice]:
    """The notices shown now: approved, inside their window."""
    now = now or timezone.now()
    return Notice.objects.filter(
        portal=portal, status=NoticeStatus.APPROVED, shown_from__lte=now, shown_until__gt=now,
    ).order_by("-shown_from")


def consultations_public(portal) -> QuerySet[Consultation]:
    return Consultation.objects.filter(portal=portal, opens_at__lte=timezone.now()).annotate(
        n_comments=Count("comments", filter=Q(comments__hidden_at__isnull=True))
    )
