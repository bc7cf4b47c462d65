"""Who may write, submit and oversee reports."""

from cong.units.choices import BoardRole
from cong.units.models import Unit
from cong.units.permissions import is_network_overseer, portal_ids_for_user, roles_for_user

REPORTING_ROLES = {BoardRole.CHIEF, BoardRole.DEPUTY, BoardRole.SECRETARY}


def units_reportable_by(user):
    """Units whose reports the user may write: their board's leaders and secretary."""
    qs = Unit.objects.filter(portal__isnull=False).select_related("portal")
    if is_network_overseer(user):
        return qs
    ids = portal_ids_for_user(user) or frozenset()
    allowed = [u.pk for u in qs.filter(portal__in=ids) if roles_for_user(user, u.portal) & REPORTING_ROLES]
    return qs.filter(pk__in=allowed)


def can_report_for(user, unit) -> bool:
    return units_reportable_by(user).filter(pk=unit.pk).exists()


def can_oversee_reports(user) -> bool:
    return is_network_overseer(user)
