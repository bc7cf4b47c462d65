from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cong.units.choices import LEADER_ROLES, UnitType

from .models import Category
from .services import portal_workflow_create


class CategoryViewSet(SnippetViewSet):
    """The province's taxonomy: kept by the province board's leaders."""

    model = Category
    icon = "tag"
    menu_label = _("Chuyên mục thông tin")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]


register_snippet(CategoryViewSet)

CATEGORY_PERMISSIONS = ("add_category", "change_category", "delete_category", "view_category")


@hooks.register("cong_after_portal_create")
def setup_portal_publishing(portal):
    portal_workflow_create(portal=portal)
    unit = portal.unit
    if unit.unit_type == UnitType.PROVINCE and unit.parent_id is None:
        perms = Permission.objects.filter(
            content_type__app_label="content", codename__in=CATEGORY_PERMISSIONS
        )
        for pg in portal.groups.filter(role__in=LEADER_ROLES).select_related("group"):
            pg.group.permissions.add(*perms)


@hooks.register("cong_periodic_jobs")
def publishing_jobs():
    from django.core.management import call_command

    from cong.core.scheduler import PeriodicJob

    # Wagtail's docs suggest hourly; a newsroom needs its go-live times kept.
    return [PeriodicJob("publish_scheduled", 60, lambda: call_command("publish_scheduled", verbosity=0))]
