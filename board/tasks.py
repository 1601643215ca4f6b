"""Board tasks. Each takes ids, calls a service, and is idempotent: a unique constraint or a
state check makes a second delivery of the same work a no-op (acks_late redelivers on a crash)."""

from celery import shared_task
from celery.signals import worker_init

from . import selectors, services

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@worker_init.connect
def load_pack_renderer(**kwargs):
    """A worker loads the PDF renderer when it starts (WeasyPrint takes most of a second to
    import), so no pack build waits for it. Web processes never import it."""
    from . import packs  # noqa: F401


@shared_task(**TASK_OPTIONS)
def programme_summary_task(programme_id: int) -> dict:
    """Compute the programme's headline figures on a worker. Read-only, so safe to redeliver."""
    return selectors.programme_summary(programme_id=programme_id)


@shared_task(**TASK_OPTIONS)
def rota_plan_task(run_id: int) -> str:
    return services.rota_plan(run_id=run_id).status


@shared_task(**TASK_OPTIONS)
def pack_build_task(pack_id: int, attempt: int) -> str:
    return services.pack_build(pack_id=pack_id, attempt=attempt).status


@shared_task(**TASK_OPTIONS)
def packs_due_task() -> list[int]:
    """Beat, daily: start the packs whose day has come (N days before each meeting)."""
    return services.packs_due()


@shared_task(**TASK_OPTIONS)
def reminders_send_task() -> int:
    """Beat, daily: remind leads whose highlight report for the next meeting is missing."""
    return services.reminders_send()


@shared_task(**TASK_OPTIONS)
def reports_due_task() -> list[int]:
    """Beat, daily: make each body's progress report whose date has come."""
    return services.reports_due()


@shared_task(**TASK_OPTIONS)
def report_generate_task(report_id: int) -> str:
    return services.report_generate(report_id=report_id).status


@shared_task(**TASK_OPTIONS)
def decision_tell_lead_task(decision_id: int) -> bool:
    """E-mail a lead the Board's answer to the decision they asked for (once)."""
    return services.decision_tell_lead(decision_id=decision_id)


@shared_task(**TASK_OPTIONS)
def pack_tell_board_task(pack_id: int) -> int:
    """E-mail board members, and the leads who present, that a pack is published (once)."""
    return services.pack_tell_board(pack_id=pack_id)


@shared_task(**TASK_OPTIONS)
def action_tell_owner_task(action_id: int) -> bool:
    """E-mail an action's owner that it is theirs, with a link to it (once)."""
    return services.action_tell_owner(action_id=action_id)


@shared_task(**TASK_OPTIONS)
def meeting_invitations_task(meeting_id: int) -> int:
    """E-mail a meeting's invitation, update or cancellation to its people (once a version)."""
    return services.meeting_invitations_send(meeting_id=meeting_id)
