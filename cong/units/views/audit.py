"""The site history report, limited to what the user's portals own.

Wagtail shows a non-page log entry to anyone holding a model permission on
its type, which on a network of portals shows one board the history of
another's snippets. This subclass filters those entries by portal.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from ..permissions import portal_ids_for_user, portal_scoped_models


class PortalScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is not ModelLogEntry:
            return queryset
        ids = portal_ids_for_user(self.request.user)
        if ids is None:
            return queryset
        hidden_types = []
        allowed = Q()
        for model, field in portal_scoped_models().items():
            ct = ContentType.objects.get_for_model(model)
            hidden_types.append(ct.pk)
            lookup = "pk__in" if field == "self" else f"{field}__in"
            own = (
                model._default_manager.filter(**{lookup: ids})
                .annotate(pk_text=Cast("pk", CharField()))
                .values("pk_text")
            )
            allowed |= Q(content_type=ct, object_id__in=own)
        return queryset.filter(~Q(content_type__in=hidden_types) | allowed)
