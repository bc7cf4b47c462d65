"""Reads of the engagement app, including the reporting contract."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Q, QuerySet
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
    phrases, words = _terms(parsed)
    if not phrases and not words:
        return []
    if connection.vendor == "sqlite":
        return list(_sqlite_library_match(qs, phrases, words)[:LIBRARY_LIMIT])
    if connection.vendor == "postgresql":
        return list(_postgres_library_match(qs, phrases, words)[:LIBRARY_LIMIT])
    backend = get_search_backend()
    return list(backend.search(expression, qs, order_by_relevance=False)[:LIBRARY_LIMIT])


_TOKEN = re.compile(r"[0-9a-z]+")
# More matches than this: walk the library index newest first and test each
# answer against the matches (the first LIBRARY_LIMIT come early); fewer:
# look the matches up and sort them.
LIBRARY_DENSE = 2000
_LIBRARY_FTS = ("IN (SELECT rowid FROM engagement_question_fts "
                "WHERE engagement_question_fts MATCH %s)")


def _terms(parsed) -> tuple[list[list[str]], list[str]]:
    phrases = [_TOKEN.findall(fold(p)) for p in parsed.phrases]
    return [p for p in phrases if p], _TOKEN.findall(fold(parsed.words))


def _sqlite_library_match(qs: QuerySet, phrases, words) -> QuerySet:
    """SQLite: the FTS5 table over ``search_folded`` (migration 0002), every
    word and phrase required."""
    match = " AND ".join(f'"{" ".join(t) if isinstance(t, list) else t}"' for t in [*phrases, *words])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT rowid FROM engagement_question_fts "
            "WHERE engagement_question_fts MATCH %s LIMIT %s)", [match, LIBRARY_DENSE + 1],
        )
        dense = cursor.fetchone()[0] > LIBRARY_DENSE
    # "+" keeps SQLite from driving the query by the matches (looking them up
    # one by one and sorting them all) when they are many.
    column = "+engagement_question.id " if dense else "engagement_question.id "
    return qs.extra(where=[column + _LIBRARY_FTS], params=[match])  # noqa: S610


def _postgres_library_match(qs: QuerySet, phrases, words) -> QuerySet:
    """PostgreSQL: the stored ``library_tsv`` column and its partial GIN
    index (migration 0003). The matches in the portal's library are read up
    to LIBRARY_DENSE + 1: when that is all of them, the answers are looked up
    by id and sorted; when there are more (a common word), the library index
    is walked newest first, each answer tested on its stored vector, and the
    first LIBRARY_LIMIT come early. Deciding from the matches themselves
    keeps the plan right where the planner's estimate is not (phrases,
    words that occur together)."""
    parts = [" <-> ".join(p) for p in phrases] + words
    tsquery = " & ".join(f"({p})" for p in parts)
    matches = qs.order_by().extra(
        where=["engagement_question.library_tsv @@ to_tsquery('simple'::regconfig, %s)"], params=[tsquery],
    ).values_list("id", flat=True)
    ids = list(matches[: LIBRARY_DENSE + 1])
    if len(ids) <= LIBRARY_DENSE:
        return qs.filter(id__in=ids)
    # "IS TRUE" is not a condition the GIN index serves: the walk it is.
    return qs.extra(
        where=["(engagement_question.library_tsv @@ to_tsquery('simple'::regconfig, %s)) IS TRUE"],
        params=[tsquery],
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
