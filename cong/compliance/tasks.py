"""Background work: checks run through django_tasks, results are stored."""

from django_tasks import task


@task()
def check_portal(portal_id: int) -> int:
    from cong.units.models import Portal

    from .services import portal_check

    portal = Portal.objects.select_related("unit", "site").get(pk=portal_id)
    return portal_check(portal).pk


@task()
def check_network() -> int:
    from .services import network_check

    return len(network_check())


@task()
def trust_labels_daily() -> dict:
    from .services import trust_labels_daily as run

    return run()
