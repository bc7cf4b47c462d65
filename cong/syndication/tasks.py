"""Background work of the syndication app (django_tasks)."""

from django_tasks import task


@task()
def outbox_deliver_task(*, post_id: int) -> str:
    """Carry out one outbox row. Delivered twice, it acts once: the claim is a
    conditional UPDATE on the row's state."""
    from .services import outbox_deliver

    return outbox_deliver(post_id)


@task()
def outbox_drain_task() -> dict:
    from .services import outbox_drain

    return outbox_drain()
