"""A task whose RQ worker died mid-task runs again exactly once
(cong.ops.tasks_rq), on a real Redis: the worker's death is what RQ sees of
it, a started job whose registry entry expired."""

from __future__ import annotations

import os
import uuid

import pytest

REDIS_URL = os.environ.get("CONG_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture
def queue(settings):
    redis = pytest.importorskip("redis")
    from rq import Queue

    from cong.ops.tasks_rq import Job

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    q = Queue(f"cong-test-{uuid.uuid4().hex[:8]}", connection=connection, job_class=Job)
    # django-tasks-rq reads its queues from django-rq's settings
    settings.RQ_QUEUES = {q.name: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [q.name, "default"]}}
    yield q
    for key in connection.scan_iter(f"*{q.name}*"):
        connection.delete(key)


def _enqueue_probe(queue, name, seconds=0.0):
    from cong.ops.tasks import fault_probe

    return fault_probe.using(queue_name=queue.name).enqueue(name, seconds) and queue.fetch_job(
        queue.get_job_ids()[-1])


def _abandon(queue, job):
    """What a worker killed mid-task leaves: the job STARTED, its entry in
    the started registry, its heartbeat expired."""
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    queue.connection.lrem(queue.key, 0, job.id)
    job.set_status(JobStatus.STARTED)
    registry = StartedJobRegistry(queue=queue)
    queue.connection.zadd(registry.key, {f"{job.id}:{uuid.uuid4().hex}": 1})


def _worker(queue):
    from cong.ops.tasks_rq import Job, Worker

    return Worker([queue], connection=queue.connection, job_class=Job)


def _probe_lines(name):
    from cong.ops.tasks import probe_dir

    path = probe_dir() / name
    return path.read_text().split() if path.exists() else []


@pytest.mark.django_db
def test_an_abandoned_task_runs_again_exactly_once(queue, settings, tmp_path):
    from rq.job import JobStatus
    from rq.registry import FailedJobRegistry

    settings.VAR_DIR = tmp_path
    name = f"probe-{uuid.uuid4().hex[:6]}"
    job = _enqueue_probe(queue, name)
    _abandon(queue, job)

    worker = _worker(queue)
    worker.clean_registries()  # the maintenance of any live worker
    assert job.id in queue.get_job_ids(), "the abandoned task is queued again"
    worker.work(burst=True)
    assert _probe_lines(name)[::2] == ["start", "done"]
    assert job.get_status(refresh=True) == JobStatus.FINISHED

    # Abandoned a second time: not run a third time, but kept as failed.
    job2 = _enqueue_probe(queue, f"{name}-b")
    _abandon(queue, job2)
    worker.clean_registries()
    assert job2.id in queue.get_job_ids()
    queue.connection.lrem(queue.key, 0, job2.id)
    _abandon(queue, job2)
    worker.clean_registries()
    assert job2.id not in queue.get_job_ids()
    assert job2.id in FailedJobRegistry(queue=queue).get_job_ids()
    assert _probe_lines(f"{name}-b") == []


@pytest.mark.django_db
def test_a_finished_task_is_never_run_again_and_two_runs_never_overlap(queue, settings, tmp_path,
                                                                       monkeypatch):
    from cong.ops.tasks_rq import Job, _lease_key

    settings.VAR_DIR = tmp_path
    name = f"probe-{uuid.uuid4().hex[:6]}"
    job = _enqueue_probe(queue, name)
    _worker(queue).work(burst=True)
    assert _probe_lines(name)[::2] == ["start", "done"]

    # The same job delivered again (a registry left behind): the done mark
    # keeps it from running.
    again = Job.fetch(job.id, connection=queue.connection)
    assert again.perform() is None
    assert _probe_lines(name)[::2] == ["start", "done"]

    # A run holding the lease (alive, renewing it): a second delivery gives way.
    other = _enqueue_probe(queue, f"{name}-c")
    queue.connection.set(_lease_key(other.id), "held-by-a-live-run", ex=60)
    monkeypatch.setattr("cong.ops.tasks_rq.LEASE_WAIT_SECONDS", 1)
    assert Job.fetch(other.id, connection=queue.connection).perform() is None
    assert _probe_lines(f"{name}-c") == []



def _enqueue_while_redis_is_down(queue, settings):
    from cong.ops.tasks import fault_probe
    from cong.ops.tests.conftest import free_port

    settings.TASKS = {"default": {"BACKEND": "cong.ops.tasks_rq.RQBackend",
                                  "QUEUES": [queue.name, "default"]}}
    # Redis away: nothing listens on this port
    settings.RQ_QUEUES = {queue.name: {"URL": f"redis://127.0.0.1:{free_port()}/0"},
                          "default": {"URL": REDIS_URL}}
    return fault_probe.using(queue_name=queue.name).enqueue("kept", 0)


@pytest.mark.django_db
def test_a_task_enqueued_while_redis_is_down_is_kept_in_the_database(queue, settings):
    from django_tasks_db.models import DBTaskResult

    from cong.ops.tasks_rq import KEPT_BACKEND

    result = _enqueue_while_redis_is_down(queue, settings)
    kept = DBTaskResult.objects.get(pk=result.id)
    assert (kept.backend_name, kept.task_path) == (KEPT_BACKEND, "cong.ops.tasks.fault_probe")
    assert kept.args_kwargs == {"args": ["kept", 0], "kwargs": {}}
    assert queue.count == 0


@pytest.mark.django_db
def test_a_kept_task_is_queued_once_when_redis_returns(queue, settings,
                                                       django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from cong.ops.tasks_rq import KEPT_BACKEND, enqueue_kept_tasks

    _enqueue_while_redis_is_down(queue, settings)
    settings.RQ_QUEUES = {queue.name: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}}
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_kept_tasks() == 1
    assert enqueue_kept_tasks() == 0
    assert not DBTaskResult.objects.filter(backend_name=KEPT_BACKEND).exists()
    assert queue.count == 1
