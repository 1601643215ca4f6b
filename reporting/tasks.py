"""Tasks of packs, reminders and progress reports. Each takes ids, calls an action, and is
idempotent: a unique constraint or a state check makes a second delivery of the same work a
no-op (acks_late redelivers on a crash)."""

from celery import shared_task
from celery.signals import worker_init

from .actions import packs, reminders, reports

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@worker_init.connect
def load_pack_renderer(**kwargs):
    """A worker loads the PDF renderer when it starts (WeasyPrint takes most of a second to
    import), so no pack build waits for it. Web processes never import it."""
    from . import render  # noqa: F401


@shared_task(**TASK_OPTIONS)
def pack_build_task(pack_id: int, attempt: int) -> str:
    return packs.pack_build(pack_id=pack_id, attempt=attempt).status


@shared_task(**TASK_OPTIONS)
def packs_due_task() -> list[int]:
    """Beat, daily: start the packs whose day has come (N days before each meeting)."""
    return packs.packs_due()


@shared_task(**TASK_OPTIONS)
def pack_tell_board_task(pack_id: int) -> int:
    """E-mail board members, and the leads who present, that a pack is published (once)."""
    return packs.pack_tell_board(pack_id=pack_id)


@shared_task(**TASK_OPTIONS)
def reminders_send_task() -> int:
    """Beat, daily: remind leads whose highlight report for the next meeting is missing."""
    return reminders.reminders_send()


@shared_task(**TASK_OPTIONS)
def reports_due_task() -> list[int]:
    """Beat, daily: make each body's progress report whose date has come."""
    return reports.reports_due()


@shared_task(**TASK_OPTIONS)
def report_generate_task(report_id: int) -> str:
    return reports.report_generate(report_id=report_id).status


# The same tasks under the names they had before packs and reports were an app of their own
# ("board.tasks.…"): a task queued under one of those names (kept in the outbox while the
# broker was down, or waiting on the broker as a new release starts) still runs, once. Each is
# the task above, whose idempotence holds whichever name delivered it.


@shared_task(name="board.tasks.pack_build_task", **TASK_OPTIONS)
def former_pack_build_task(pack_id: int, attempt: int) -> str:
    return packs.pack_build(pack_id=pack_id, attempt=attempt).status


@shared_task(name="board.tasks.packs_due_task", **TASK_OPTIONS)
def former_packs_due_task() -> list[int]:
    return packs.packs_due()


@shared_task(name="board.tasks.pack_tell_board_task", **TASK_OPTIONS)
def former_pack_tell_board_task(pack_id: int) -> int:
    return packs.pack_tell_board(pack_id=pack_id)


@shared_task(name="board.tasks.reminders_send_task", **TASK_OPTIONS)
def former_reminders_send_task() -> int:
    return reminders.reminders_send()


@shared_task(name="board.tasks.reports_due_task", **TASK_OPTIONS)
def former_reports_due_task() -> list[int]:
    return reports.reports_due()


@shared_task(name="board.tasks.report_generate_task", **TASK_OPTIONS)
def former_report_generate_task(report_id: int) -> str:
    return reports.report_generate(report_id=report_id).status
