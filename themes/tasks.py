"""Theme tasks. Each takes ids and calls a service; each is safe to deliver twice."""

from celery import shared_task

from .actions.pid import pid_notify

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**TASK_OPTIONS)
def pid_notify_task(pid_id: int, event: str, version: int) -> int:
    """E-mail who must act next on a PID that was submitted, returned or approved. The PID's
    `version` after the change makes a redelivery after it moved on send nothing; one delivered
    twice before then sends its e-mails twice, which is harmless next to sending none."""
    return pid_notify(pid_id=pid_id, event=event, version=version)
