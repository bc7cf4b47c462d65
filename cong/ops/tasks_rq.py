"""The RQ task worker of the production recipe: a task whose worker dies
mid-task (killed, out of memory, the machine lost) runs again exactly once.

django-tasks-rq enqueues each task as an RQ job. RQ keeps a started job in
the queue's StartedJobRegistry while the worker heartbeats it; when the
worker dies the entry expires and the next registry cleanup (any worker)
moves the job to the failed registry as *abandoned*, or retries it if it has
retries left. Here:

- ``Worker`` cleans the registries every ``CONG_RQ_MAINTENANCE_SECONDS`` (15 s,
  RQ's default is 10 minutes), heartbeats a running job every 10 s with a
  ``CONG_RQ_HEARTBEAT_GRACE`` (20 s) margin (RQ's: 30 s + 60 s), and gives an
  abandoned job one retry before the cleanup sees it — once: a job already
  requeued after being abandoned goes to the failed registry the next time.
- ``Job`` guards each run with the job id as idempotency key, in the queue's
  Redis: a run takes a lease (renewed while it runs, expiring
  ``LEASE_SECONDS`` after its worker died) so two runs of one job never
  overlap, and a finished run leaves a done mark (kept 7 days) so a job that
  completed is never run again, whatever the registries say.

- ``RQBackend`` (``CONG_TASK_BACKEND=rq``) keeps a task in the database
  (django-tasks-db's table, ``backend_name`` ``rq-unavailable``) when Redis
  cannot be reached, in the caller's transaction — a question submitted
  while Redis is down is saved with its follow-up work — and the workers'
  maintenance moves such tasks to RQ once Redis answers again
  (``enqueue_kept_tasks``).

``deploy/bin/cong-worker`` runs ``rqworker --worker-class
cong.ops.tasks_rq.Worker --job-class cong.ops.tasks_rq.Job``; the fault run
``deploy/faults/fault.py worker`` shows it with a worker killed mid-task.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid

from django_tasks_rq.backend import Job as TasksJob
from django_tasks_rq.backend import RQBackend as TasksRQBackend
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.job import JobStatus
from rq.registry import StartedJobRegistry
from rq.utils import current_timestamp
from rq.worker import Worker as RQWorker

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
KEPT_BACKEND = "rq-unavailable"
LEASE_SECONDS = 30
# how long a delivery waits for the lease of a run that may be dead
LEASE_WAIT_SECONDS = LEASE_SECONDS + 5
DONE_SECONDS = 7 * 24 * 3600
REQUEUED_META = "cong_requeued_after_abandoned"


def _lease_key(job_id: str) -> str:
    return f"cong:task:lease:{job_id}"


def _done_key(job_id: str) -> str:
    return f"cong:task:done:{job_id}"


class Job(TasksJob):
    """A django_tasks job that runs at most once at a time and never again
    once it finished."""

    def perform(self):
        redis = self.connection
        if redis.exists(_done_key(self.id)):
            logger.warning("task %s already finished: not run again", self.id)
            return None
        token = uuid.uuid4().hex
        # A run of a dead worker holds the lease until it expires: wait for
        # that; a live run keeps renewing it, and this one gives way.
        deadline = time.monotonic() + LEASE_WAIT_SECONDS
        while not redis.set(_lease_key(self.id), token, nx=True, ex=LEASE_SECONDS):
            if redis.exists(_done_key(self.id)):
                logger.warning("task %s already finished: not run again", self.id)
                return None
            if time.monotonic() > deadline:
                logger.warning("task %s is running elsewhere (lease held): not run twice", self.id)
                return None
            time.sleep(1)
        stop = threading.Event()
        renew = threading.Thread(target=self._renew, args=(token, stop), daemon=True)
        renew.start()
        try:
            result = super().perform()
            redis.set(_done_key(self.id), 1, ex=DONE_SECONDS)
            return result
        finally:
            stop.set()
            renew.join(5)
            if redis.get(_lease_key(self.id)) == token.encode():
                redis.delete(_lease_key(self.id))

    def _renew(self, token: str, stop: threading.Event) -> None:
        key = _lease_key(self.id)
        while not stop.wait(LEASE_SECONDS / 3):
            try:
                if self.connection.get(key) == token.encode():
                    self.connection.expire(key, LEASE_SECONDS)
            except Exception:
                logger.warning("task %s: lease not renewed", self.id, exc_info=True)


def requeue_abandoned_once(queue, job_class=Job) -> list[str]:
    """Give every abandoned job of ``queue`` (its worker died: the started
    registry entry expired while the job is still STARTED) one retry, unless
    it was already requeued after being abandoned. RQ's own cleanup then
    requeues those with a retry left and fails the others. Returns the ids
    given a retry."""
    registry = StartedJobRegistry(queue=queue)
    requeued = []
    for job_id in registry.get_expired_job_ids(current_timestamp()):
        try:
            job = job_class.fetch(job_id, connection=queue.connection, serializer=queue.serializer)
        except Exception:  # noqa: BLE001 - gone or unreadable: RQ's cleanup drops the entry
            logger.info("task %s: abandoned entry without a readable job", job_id)
            continue
        if job.get_status(refresh=False) != JobStatus.STARTED or job.meta.get(REQUEUED_META):
            continue
        if job.retries_left and job.retries_left > 0:
            continue
        job.meta[REQUEUED_META] = current_timestamp()
        job.retries_left = 1
        job.retry_intervals = [0]
        job.save()
        requeued.append(job.id)
        logger.warning("task %s abandoned by its worker: run again once", job.id)
    return requeued


class RQBackend(TasksRQBackend):
    """django-tasks-rq's backend that keeps tasks in the database while
    Redis is down."""

    def enqueue(self, task, args, kwargs):
        try:
            return super().enqueue(task, args, kwargs)
        except REDIS_DOWN as exc:
            return self._keep(task, args, kwargs, exc)

    def _keep(self, task, args, kwargs, exc):
        from django_tasks.base import TaskResult, TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        row = DBTaskResult.objects.create(
            args_kwargs=json.loads(json.dumps({"args": list(args), "kwargs": kwargs})),
            priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
            run_after=task.run_after, backend_name=KEPT_BACKEND,
        )
        logger.warning("task queue unavailable (%s): %s kept in the database until Redis returns",
                       exc, task.module_path)
        return TaskResult(
            task=task, id=str(row.id), status=TaskResultStatus.READY, enqueued_at=None,
            started_at=None, last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs,
            backend=self.alias, errors=[], worker_ids=[],
        )


def enqueue_kept_tasks(limit: int = 500) -> int:
    """Move the tasks kept in the database while Redis was down to RQ (the
    workers' maintenance calls this); returns how many."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()  # django-tasks-db's "no run_after" sentinel
    moved = 0
    with transaction.atomic():
        rows = list(DBTaskResult.objects.select_for_update(skip_locked=True)
                    .filter(backend_name=KEPT_BACKEND).order_by("enqueued_at")[:limit])
        now = timezone.now()
        for row in rows:
            # the table's run_after is never empty (the year 9999 stands for
            # "none"): only a real future time defers the task
            run_after = row.run_after if row.run_after and now < row.run_after < never else None
            task = import_string(row.task_path).using(
                queue_name=row.queue_name, priority=row.priority, run_after=run_after)
            task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            row.delete()
            moved += 1
    if moved:
        logger.warning("%d task(s) kept while Redis was down sent to the queue", moved)
    return moved


class Worker(RQWorker):
    """RQ's forking worker, with quick maintenance and abandoned jobs run again once."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", int(os.environ.get("CONG_RQ_MAINTENANCE_SECONDS", "15")))
        kwargs.setdefault("job_monitoring_interval", 10)
        super().__init__(*args, **kwargs)
        self.heartbeat_grace = int(os.environ.get("CONG_RQ_HEARTBEAT_GRACE", "20"))

    @property
    def dequeue_timeout(self) -> int:
        # wake up for maintenance even when no job comes
        return max(1, min(self.worker_ttl - 15, self.maintenance_interval))

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        if job.timeout and job.timeout > 0:
            remaining = job.timeout - working_time
            return int(min(remaining, self.job_monitoring_interval)) + self.heartbeat_grace
        return self.job_monitoring_interval + self.heartbeat_grace

    def clean_registries(self):
        for queue in self.queues:
            requeue_abandoned_once(queue, self.job_class)
        super().clean_registries()
        try:
            enqueue_kept_tasks()
        except Exception:  # the database or Redis away: the next round retries
            logger.warning("kept tasks not moved to the queue yet", exc_info=True)
