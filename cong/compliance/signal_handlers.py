"""The footer badge follows the trust-label register, however a label is
changed (service, import, admin form); the maintenance banner follows its
notices (the public pages read them from a cache kept by the ``portals``
version)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _sync(sender, instance, **kwargs):
    from .services import trust_badge_sync

    unit_id = instance.unit_id

    def run():
        from cong.units.models import Unit

        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is not None:
            trust_badge_sync(unit=unit)

    transaction.on_commit(run)


def _notice_changed(sender, instance, **kwargs):
    from cong.core import cache_version

    cache_version.bump(cache_version.PORTALS)


def register():
    from .models import MaintenanceNotice, TrustLabel

    post_save.connect(_notice_changed, sender=MaintenanceNotice, dispatch_uid="compliance_notice_saved")
    post_delete.connect(_notice_changed, sender=MaintenanceNotice, dispatch_uid="compliance_notice_deleted")
    post_save.connect(_sync, sender=TrustLabel, dispatch_uid="compliance_trustlabel_saved")
    post_delete.connect(_sync, sender=TrustLabel, dispatch_uid="compliance_trustlabel_deleted")
