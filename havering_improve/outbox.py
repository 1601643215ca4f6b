"""Queue Celery tasks so that none is lost.

`enqueue("reporting.tasks.pack_build_task", *args)` queues the task named after the current
transaction commits (so the worker sees the rows it needs). Tasks are named, not imported, so the
code that queues them never imports the tasks module that calls it back. If the broker cannot be
reached the task is written to the outbox table instead, and the periodic `outbox_sweep_task`
queues it when the broker is back. Pages keep working while Redis is down.
"""

import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from havering_improve.celery import app

from .models import OutboxTask

logger = logging.getLogger(__name__)

# What a broker outage looks like to a publisher.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(task_name: str, *args, **kwargs) -> None:
    if not isinstance(task_name, str):
        raise TypeError(
            "enqueue() takes the task's name, such as 'reporting.tasks.pack_build_task'"
        )
    transaction.on_commit(lambda: _publish(task_name, list(args), kwargs))


def _publish(task_name: str, args: list, kwargs: dict) -> bool:
    if app.conf.task_always_eager:  # no broker configured: run it here and now
        if task_name not in app.tasks:  # a web process has not loaded the apps' tasks yet
            app.loader.import_default_modules()
        app.tasks[task_name].apply(args=args, kwargs=kwargs)
        return True
    try:
        app.send_task(task_name, args=args, kwargs=kwargs, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("Broker unavailable; %s kept in the outbox: %s", task_name, exc)
        OutboxTask.objects.create(
            task_name=task_name, args=args, kwargs=kwargs, attempts=1, last_error=str(exc)
        )
        return False
    return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Queue what the outbox holds, oldest first; stop at the first broker failure."""
    sent = 0
    for item in OutboxTask.objects.filter(sent_at__isnull=True)[:limit]:
        try:
            app.send_task(item.task_name, args=item.args, kwargs=item.kwargs, retry=False)
        except BROKER_ERRORS as exc:
            item.attempts += 1
            item.last_error = str(exc)
            item.save(update_fields=["attempts", "last_error"])
            break
        item.sent_at = timezone.now()
        item.save(update_fields=["sent_at"])
        sent += 1
    return sent


def outbox_pending() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()
