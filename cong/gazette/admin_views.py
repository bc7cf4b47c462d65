"""Admin screens of the gazette: intake of documents with their files,
validity events, gazette issues, posting rules and the late-postings list.
A board member sees only the rows of the portals of their board."""

from __future__ import annotations

from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from cong.core.errors import ApplicationErrorFormMixin
from cong.units.forms import PortalScopedForm
from cong.units.permissions import filter_for_user, portals_for_user
from cong.units.views.admin import PortalScopedModelViewSet

from . import services
from .forms import LegalDocumentForm
from .models import GazetteIssue, LegalDocument, PostingRule, Relation, ValidityEvent
from .selectors import late_postings


class DocumentCreateView(ApplicationErrorFormMixin, generic.CreateView):
    def save_instance(self):
        form = self.form
        return services.document_save(
            portal=form.cleaned_data["portal"], data=form.service_data(), files=form.uploaded_files(),
        )


class DocumentEditView(ApplicationErrorFormMixin, generic.EditView):
    def save_instance(self):
        form = self.form
        doc = services.document_save(
            portal=form.cleaned_data["portal"], data=form.service_data(), instance=self.object,
        )
        for f in form.uploaded_files():
            services.file_attach(doc, f)
        return doc


class LegalDocumentViewSet(PortalScopedModelViewSet):
    model = LegalDocument
    name = "gazette_documents"
    url_prefix = "cong-bao/van-ban"
    icon = "doc-full"
    menu_label = _("Văn bản")
    add_to_admin_menu = False
    list_display = ["number", "doc_type", "issuer_name", "issued_on", "posted_at", "portal"]
    list_filter = ["normative", "needs_ocr", "posted_late"]
    search_fields = ["number", "summary", "issuer_name"]
    ordering = ["-issued_on", "-id"]
    add_view_class = DocumentCreateView
    edit_view_class = DocumentEditView
    edit_handler = ObjectList([
        FieldPanel("portal"),
        MultiFieldPanel([
            FieldPanel("number"), FieldPanel("doc_type"), FieldPanel("normative"), FieldPanel("issuer_name"),
            FieldPanel("issuer_unit"), FieldPanel("signer"), FieldPanel("signer_title"), FieldPanel("field"),
        ], heading=_("Văn bản")),
        FieldPanel("summary"),
        MultiFieldPanel([
            FieldPanel("issued_on"), FieldPanel("effective_on"), FieldPanel("expires_on"), FieldPanel("posted_at"),
        ], heading=_("Ngày tháng")),
        MultiFieldPanel([FieldPanel("gazette_number"), FieldPanel("gazette_date")], heading=_("Công báo")),
        MultiFieldPanel([FieldPanel("pdf_file"), FieldPanel("word_file")], heading=_("Tệp văn bản")),
        FieldPanel("page"),
    ], base_form_class=LegalDocumentForm)


class ValidityEventForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            docs = filter_for_user(LegalDocument.objects.all(), for_user)
            self.fields["document"].queryset = docs
            self.fields["caused_by"].queryset = docs

    class Meta:
        model = ValidityEvent
        fields = ["document", "kind", "on", "caused_by", "note"]


class EventCreateView(ApplicationErrorFormMixin, generic.CreateView):
    def save_instance(self):
        d = self.form.cleaned_data
        return services.event_add(document=d["document"], kind=d["kind"], on=d["on"],
                                  caused_by=d.get("caused_by"), note=d.get("note") or "")


class ValidityEventViewSet(PortalScopedModelViewSet):
    model = ValidityEvent
    portal_field = "document__portal"
    name = "gazette_events"
    url_prefix = "cong-bao/hieu-luc"
    icon = "date"
    menu_label = _("Hiệu lực văn bản")
    add_to_admin_menu = False
    list_display = ["document", "kind", "on", "caused_by"]
    list_filter = ["kind"]
    add_view_class = EventCreateView
    inspect_view_enabled = False
    edit_handler = ObjectList([
        FieldPanel("document"), FieldPanel("kind"), FieldPanel("on"), FieldPanel("caused_by"), FieldPanel("note"),
    ], base_form_class=ValidityEventForm)


class RelationForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            docs = filter_for_user(LegalDocument.objects.all(), for_user)
            self.fields["source"].queryset = docs
            self.fields["target"].queryset = LegalDocument.objects.all()

    class Meta:
        model = Relation
        fields = ["source", "kind", "target"]


class RelationCreateView(ApplicationErrorFormMixin, generic.CreateView):
    def save_instance(self):
        d = self.form.cleaned_data
        return services.relation_add(source=d["source"], target=d["target"], kind=d["kind"])


class RelationViewSet(PortalScopedModelViewSet):
    """Căn cứ, hướng dẫn… of a portal's document (the target may be any
    document of the register, e.g. a province's decision a department guides)."""

    model = Relation
    portal_field = "source__portal"
    name = "gazette_relations"
    url_prefix = "cong-bao/quan-he"
    icon = "link"
    menu_label = _("Quan hệ văn bản")
    add_to_admin_menu = False
    list_display = ["source", "kind", "target"]
    list_filter = ["kind"]
    add_view_class = RelationCreateView
    edit_handler = ObjectList([FieldPanel("source"), FieldPanel("kind"), FieldPanel("target")],
                              base_form_class=RelationForm)


class IssueForm(PortalScopedForm):
    documents = forms.CharField(
        label=_("Văn bản trong số (theo thứ tự)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi dòng một số, ký hiệu văn bản của cổng."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["documents"].initial = "\n".join(
                self.instance.documents.order_by("gazette_position").values_list("number", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        portal = cleaned.get("portal")
        found = []
        for line in (cleaned.get("documents") or "").splitlines():
            if not line.strip():
                continue
            doc = LegalDocument.objects.filter(portal=portal, number_key=services.number_key(line)).first()
            if doc is None:
                self.add_error("documents", _("Không có văn bản số %(n)s trên cổng này.") % {"n": line.strip()})
            else:
                found.append(doc)
        cleaned["document_list"] = found
        return cleaned

    class Meta:
        model = GazetteIssue
        fields = ["portal", "year", "number", "published_on", "pdf"]


class IssueCreateView(ApplicationErrorFormMixin, generic.CreateView):
    def save_instance(self):
        d = self.form.cleaned_data
        issue = services.issue_create(portal=d["portal"], year=d["year"], number=d["number"],
                                      published_on=d["published_on"], documents=d["document_list"])
        if d.get("pdf"):
            issue.pdf = d["pdf"]
            issue.save(update_fields=["pdf"])
        return issue


class IssueEditView(ApplicationErrorFormMixin, generic.EditView):
    def save_instance(self):
        issue = self.form.save()
        services.issue_documents_set(issue, self.form.cleaned_data["document_list"])
        return issue


class GazetteIssueViewSet(PortalScopedModelViewSet):
    model = GazetteIssue
    name = "gazette_issues"
    url_prefix = "cong-bao/so"
    icon = "list-ol"
    menu_label = _("Số công báo")
    add_to_admin_menu = False
    list_display = ["__str__", "published_on", "portal"]
    add_view_class = IssueCreateView
    edit_view_class = IssueEditView
    edit_handler = ObjectList([
        FieldPanel("portal"), FieldPanel("year"), FieldPanel("number"), FieldPanel("published_on"),
        FieldPanel("documents"), FieldPanel("pdf"),
    ], base_form_class=IssueForm)


class PostingRuleViewSet(ModelViewSet):
    """Network-wide rules are kept by whoever holds the model permission
    (the province's administrators)."""

    model = PostingRule
    name = "gazette_rules"
    url_prefix = "cong-bao/thoi-han"
    icon = "time"
    menu_label = _("Thời hạn đăng văn bản")
    add_to_admin_menu = False
    list_display = ["doc_type", "normative", "working_days", "portal", "basis"]
    form_fields = ["portal", "doc_type", "normative", "working_days", "basis"]


def late_postings_view(request):
    """Late or missing postings of the user's portals."""
    rows = []
    today = timezone.localdate()
    for portal in portals_for_user(request.user).select_related("unit"):
        for doc in late_postings(portal, today=today)[:500]:
            rows.append((portal, doc))
    return TemplateResponse(request, "gazette/admin/late_postings.html", {
        "rows": rows, "today": today, "header_title": _("Văn bản đăng muộn hoặc chưa đăng"),
    })
