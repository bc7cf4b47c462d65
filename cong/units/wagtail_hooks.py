from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .permissions import portal_ids_for_user
from .views.admin import (
    BoardMembershipViewSet,
    OfficialViewSet,
    PortalPathRedirectViewSet,
    UnitViewSet,
)

register_snippet(OfficialViewSet)


@hooks.register("register_admin_viewset")
def register_unit_viewsets():
    return [UnitViewSet(), BoardMembershipViewSet(), PortalPathRedirectViewSet()]


@hooks.register("register_log_actions")
def register_unit_log_actions(actions):
    actions.register_action("cong.unit.deactivate", _("Ngừng hoạt động đơn vị"), _("Đơn vị ngừng hoạt động"))
    actions.register_action("cong.unit.merge", _("Sáp nhập đơn vị"), _("Đơn vị được sáp nhập"))
    actions.register_action("cong.portal.create", _("Tạo cổng"), _("Cổng được tạo"))
    actions.register_action("cong.board.dismiss", _("Kết thúc nhiệm vụ trong Ban Biên tập"), _("Thành viên rời Ban Biên tập"))


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_portals(pages, request):
    """Wagtail's page chooser browses every site; a board member sees only
    the trees of the portals of their board."""
    from django.db.models import Q

    from .models import Portal

    ids = portal_ids_for_user(request.user)
    if ids is None:
        return pages
    roots = Portal.objects.filter(pk__in=ids).values_list("site__root_page__path", flat=True)
    condition = Q(pk__in=[])
    for path in roots:
        condition |= Q(path__startswith=path)
    return pages.filter(condition)
