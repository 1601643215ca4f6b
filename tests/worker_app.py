"""The project's Celery app for a worker that a test will kill: before a task named in
SLOW_TASKS runs, the worker waits SLOW_TASK_SECONDS, so the test can kill it mid-task."""

import os
import time

from celery.signals import task_prerun

from havering_improve.celery import app

__all__ = ["app"]

SLOW_TASKS = set(filter(None, os.environ.get("SLOW_TASKS", "").split(",")))


@task_prerun.connect
def _slow_down(sender=None, **kwargs):
    if sender is not None and sender.name in SLOW_TASKS:
        print(f"SLOW TASK STARTED {sender.name}", flush=True)
        time.sleep(float(os.environ.get("SLOW_TASK_SECONDS", "10")))
