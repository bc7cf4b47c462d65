"""Background work of analytics (django_tasks)."""

from django_tasks import task

from . import services


@task()
def analytics_rollup() -> int:
    """Roll up the events received since the last run."""
    return services.rollup_run()


@task()
def analytics_prune() -> int:
    """Delete raw events past the retention period, and old salts."""
    return services.prune()
