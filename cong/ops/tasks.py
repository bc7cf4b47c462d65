"""Tasks of the operations app."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django_tasks import task


def probe_dir():
    return settings.VAR_DIR / "faults" / "probes"


@task()
def fault_probe(name: str, seconds: float) -> str:
    """The task of the worker fault run (deploy/faults/fault.py worker):
    appends ``start <pid>`` to var/faults/probes/<name>, works ``seconds``,
    then appends ``done <pid>``. The run kills the worker between the two
    and counts the lines: the task must start twice and finish once."""
    if not name.replace("-", "").isalnum():
        raise ValueError("probe names are letters, digits and dashes")
    path = probe_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        f.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with open(path, "a") as f:
        f.write(f"done {os.getpid()}\n")
    return name
