"""Board tasks. Each takes ids, calls an action, and is idempotent: a unique constraint or a
state check makes a second delivery of the same work a no-op (acks_late redelivers on a crash).
The tasks of packs, reminders and progress reports are in `reporting.tasks`."""

from celery import shared_task

from . import selectors
from .actions import calendar, decisions, rota, tracker

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**TASK_OPTIONS)
def programme_summary_task(programme_id: int) -> dict:
    """Compute the programme's headline figures on a worker. Read-only, so safe to redeliver."""
    return selectors.programme_summary(programme_id=programme_id)


@shared_task(**TASK_OPTIONS)
def rota_plan_task(run_id: int) -> str:
    return rota.rota_plan(run_id=run_id).status


@shared_task(**TASK_OPTIONS)
def decision_tell_lead_task(decision_id: int) -> bool:
    """E-mail a lead the Board's answer to the decision they asked for (once)."""
    return decisions.decision_tell_lead(decision_id=decision_id)


@shared_task(**TASK_OPTIONS)
def action_tell_owner_task(action_id: int) -> bool:
    """E-mail an action's owner that it is theirs, with a link to it (once)."""
    return tracker.action_tell_owner(action_id=action_id)


@shared_task(**TASK_OPTIONS)
def meeting_invitations_task(meeting_id: int) -> int:
    """E-mail a meeting's invitation, update or cancellation to its people (once a version)."""
    return calendar.meeting_invitations_send(meeting_id=meeting_id)
