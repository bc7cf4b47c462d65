"""Public pages: ask a question, look it up, the answer library, comment on a
draft, submit a notice, the access-to-information section.

Every POST is rate-limited per client and needs a solved proof-of-work
challenge (``cong.core.abuse``); a replayed form returns what was recorded
the first time instead of a duplicate.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cong.core import abuse
from cong.core.errors import ApplicationError
from cong.units.choices import OfficialRole
from cong.units.middleware import current_portal

from .. import selectors, services
from ..choices import QuestionStatus
from ..forms import CommentForm, InfoRequestForm, LookupForm, NoticeForm, QuestionForm, RatingForm
from ..models import Consultation, DisclosureItem, InfoRequest, Notice, Question

PER_PAGE = 20


def _portal(request):
    portal = current_portal(request)
    if portal is None:
        raise Http404
    return portal


def _form_rate() -> str:
    return getattr(settings, "CONG_ENGAGEMENT_FORM_RATE", "10/10m")


def _lookup_rate() -> str:
    return getattr(settings, "CONG_ENGAGEMENT_LOOKUP_RATE", "30/m")


def _submit(request, form, model, create, template, context, *, receipt_template):
    """The common POST path of every public form."""
    if not abuse.check_rate(request, "engagement-form", _form_rate()):
        return abuse.too_many_requests(request)
    key = request.POST.get("submission_key", "")[:64]
    existing = model.objects.filter(submission_key=key).first() if key else None
    if existing is not None:
        return render(request, receipt_template, {**context, "object": existing, "replayed": True})
    status = 200
    if form.is_valid():
        if not abuse.check_pow(request.POST.get(abuse.POW_FIELD)):
            form.add_error(None, _("Chưa qua bước kiểm tra chống gửi tự động. "
                                   "Vui lòng bật JavaScript và gửi lại."))
            status = 400
        else:
            try:
                obj, _created = create(form.cleaned_data)
            except ApplicationError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                return render(request, receipt_template, {**context, "object": obj})
    if status == 200:
        status = 400
    return render(request, template, {**context, "form": form}, status=status)


def _section_items(portal, slug: str, limit: int = 10):
    """Items the editors published in the standard section of the same slug
    (this view takes over the section's address, its items stay listed)."""
    from wagtail.models import Page

    section = Page.objects.child_of(portal.site.root_page).filter(slug=slug).first()
    if section is None:
        return []
    return list(section.get_children().live().public().order_by("-first_published_at")[:limit])


def _page(request, qs):
    paginator = Paginator(qs, PER_PAGE)
    try:
        return paginator.page(request.GET.get("trang", 1))
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(1)


# --- Questions ------------------------------------------------------------------


def library(request):
    portal = _portal(request)
    q = request.GET.get("q", "")[:200]
    if q and not abuse.check_rate(request, "search", "60/m"):
        return abuse.too_many_requests(request)
    page_obj = _page(request, selectors.answers_search(portal, q))
    return render(request, "engagement/library.html", {
        "page_obj": page_obj, "q": q, "section_items": _section_items(portal, "hoi-dap"),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request):
    portal = _portal(request)
    if request.method == "GET":
        return render(request, "engagement/ask.html", {"form": QuestionForm()})
    form = QuestionForm(request.POST)

    def create(d):
        return services.question_submit(
            portal=portal, kind=d["kind"], topic=d["topic"], body=d["body"], name=d["name"],
            address=d["address"], phone=d["phone"], email=d["email"], consent=d["consent"],
            publish_consent=d["publish_consent"], submission_key=d["submission_key"],
        )

    return _submit(request, form, Question, create, "engagement/ask.html", {},
                   receipt_template="engagement/ask_done.html")


@never_cache
def lookup(request):
    """Status of a question by its code. A wrong code and an unknown code get
    the same answer, and the page never shows personal data."""
    _portal(request)
    form = LookupForm(request.GET or None)
    question, searched = None, False
    if form.is_bound:
        if not abuse.check_rate(request, "engagement-lookup", _lookup_rate()):
            return abuse.too_many_requests(request)
        searched = True
        if form.is_valid():
            question = selectors.question_by_code(form.cleaned_data["code"])
    return render(request, "engagement/lookup.html",
                  {"form": form, "question": question, "searched": searched})


def answer(request, pk):
    portal = _portal(request)
    question = get_object_or_404(Question, pk=pk, portal=portal, status=QuestionStatus.PUBLISHED)
    return render(request, "engagement/answer.html",
                  {"question": question, "rating_form": RatingForm(),
                   "rated": request.GET.get("da-danh-gia") == "1"})


@require_POST
def rate(request, pk):
    portal = _portal(request)
    question = get_object_or_404(Question, pk=pk, portal=portal, status=QuestionStatus.PUBLISHED)
    if not abuse.check_rate(request, "engagement-rate", "20/h"):
        return abuse.too_many_requests(request)
    form = RatingForm(request.POST)
    if not abuse.check_pow(request.POST.get(abuse.POW_FIELD)):
        return render(request, "engagement/answer.html",
                      {"question": question, "rating_form": form, "pow_error": True}, status=400)
    if form.is_valid():
        services.question_rate(question=question, score=form.cleaned_data["score"],
                               client=abuse.client_key("rate", request))
        return redirect(f"{request.path.rsplit('danh-gia/', 1)[0]}?da-danh-gia=1")
    return render(request, "engagement/answer.html",
                  {"question": question, "rating_form": form}, status=400)


# --- Consultations ---------------------------------------------------------------


def consultations(request):
    portal = _portal(request)
    return render(request, "engagement/consultations.html", {
        "page_obj": _page(request, selectors.consultations_public(portal)), "now": timezone.now(),
        "section_items": _section_items(portal, "lay-y-kien-du-thao"),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def consultation(request, pk):
    portal = _portal(request)
    item = get_object_or_404(Consultation, pk=pk, portal=portal, opens_at__lte=timezone.now())
    context = {
        "consultation": item,
        "comments": item.comments.filter(hidden_at__isnull=True).select_related("article"),
        "hidden_count": item.comments.filter(hidden_at__isnull=False).count(),
        "is_open": item.is_open(),
    }
    if request.method == "GET":
        return render(request, "engagement/consultation.html",
                      {**context, "form": CommentForm(consultation=item)})
    if not item.is_open():
        return render(request, "engagement/consultation.html",
                      {**context, "closed_error": True}, status=403)
    form = CommentForm(request.POST, consultation=item)

    def create(d):
        article = item.articles.filter(pk=d["article"]).first() if d.get("article") else None
        return services.consultation_comment_submit(
            consultation=item, body=d["body"], name=d["name"], email=d["email"],
            organisation=d["organisation"], article=article, consent=d["consent"],
            submission_key=d["submission_key"],
        )

    from ..models import ConsultationComment

    return _submit(request, form, ConsultationComment, create, "engagement/consultation.html",
                   context, receipt_template="engagement/comment_done.html")


# --- Notices ------------------------------------------------------------------------


def notices(request):
    portal = _portal(request)
    return render(request, "engagement/notices.html", {
        "page_obj": _page(request, selectors.notices_current(portal)),
        "section_items": _section_items(portal, "thong-bao"),
    })


def notice(request, pk):
    portal = _portal(request)
    now = timezone.now()
    item = get_object_or_404(selectors.notices_current(portal, now), pk=pk)
    return render(request, "engagement/notice.html", {"notice": item})


@never_cache
@require_http_methods(["GET", "POST"])
def notice_submit(request):
    portal = _portal(request)
    if request.method == "GET":
        return render(request, "engagement/notice_form.html", {"form": NoticeForm()})
    form = NoticeForm(request.POST, request.FILES)

    def create(d):
        files = [d["attachment"]] if d.get("attachment") else []
        return services.notice_submit(
            portal=portal, organisation=d["organisation"], category=d["category"],
            title=d["title"], body=d["body"], requested_start=d["requested_start"],
            requested_end=d["requested_end"], name=d["name"], email=d["email"],
            phone=d["phone"], consent=d["consent"], files=files,
            submission_key=d["submission_key"],
        )

    return _submit(request, form, Notice, create, "engagement/notice_form.html", {},
                   receipt_template="engagement/notice_done.html")


# --- Access to information --------------------------------------------------------


def access_info(request):
    portal = _portal(request)
    return render(request, "engagement/access_info.html", {
        "items": DisclosureItem.objects.filter(portal=portal),
        "contacts": portal.officials.filter(role=OfficialRole.CONTACT),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def info_request(request):
    portal = _portal(request)
    if request.method == "GET":
        return render(request, "engagement/info_request.html", {"form": InfoRequestForm()})
    form = InfoRequestForm(request.POST)

    def create(d):
        return services.info_request_submit(
            portal=portal, name=d["name"], identity_number=d["identity_number"],
            information=d["information"], purpose=d["purpose"], address=d["address"],
            phone=d["phone"], email=d["email"], consent=d["consent"],
            submission_key=d["submission_key"],
        )

    return _submit(request, form, InfoRequest, create, "engagement/info_request.html", {},
                   receipt_template="engagement/info_request_done.html")


@never_cache
def info_lookup(request):
    _portal(request)
    form = LookupForm(request.GET or None)
    found, searched = None, False
    if form.is_bound:
        if not abuse.check_rate(request, "engagement-lookup", _lookup_rate()):
            return abuse.too_many_requests(request)
        searched = True
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            found = InfoRequest.objects.filter(tracking_code=code).first()
    return render(request, "engagement/info_lookup.html",
                  {"form": form, "request_obj": found, "searched": searched})
