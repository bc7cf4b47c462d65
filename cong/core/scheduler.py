"""Periodic jobs: scheduled publishing every minute, rollups, reminders…

Apps register jobs with the ``cong_periodic_jobs`` Wagtail hook, returning
``[PeriodicJob(name, every_seconds, function)]``. ``manage.py scheduler`` runs
them; several schedulers may run (one per server) — a lease row in the
database lets only one of them run a given job at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail import hooks

logger = logging.getLogger("cong.scheduler")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    run: Callable[[], object]


def periodic_jobs() -> list[PeriodicJob]:
    jobs: list[PeriodicJob] = []
    for fn in hooks.get_hooks("cong_periodic_jobs"):
        jobs.extend(fn())
    return jobs


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_acquire(name: str, seconds: int, holder: str | None = None) -> bool:
    """Take the lease ``name`` for ``seconds`` unless another holder has it."""
    from cong.core.models import Lease

    holder = holder or holder_id()
    now = timezone.now()
    until = now + dt.timedelta(seconds=seconds)
    with transaction.atomic():
        Lease.objects.get_or_create(name=name, defaults={"holder": "", "expires_at": now})
        taken = Lease.objects.filter(name=name).filter(
            models_q_free(now, holder)
        ).update(holder=holder, expires_at=until)
    return taken == 1


def models_q_free(now, holder):
    from django.db.models import Q

    return Q(expires_at__lte=now) | Q(holder=holder)


def run_due(last_run: dict[str, float], now_ts: float, *, force: bool = False) -> list[str]:
    """Run the jobs that are due; return the names of those run."""
    ran = []
    for job in periodic_jobs():
        due = force or now_ts - last_run.get(job.name, 0.0) >= job.every_seconds
        if not due:
            continue
        last_run[job.name] = now_ts
        if not lease_acquire(f"job:{job.name}", max(job.every_seconds - 1, 1)):
            continue
        try:
            job.run()
            ran.append(job.name)
        except Exception:  # one failing job must not stop the others
            logger.exception("periodic job %s failed", job.name)
    return ran
