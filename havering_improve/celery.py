"""The Celery app. Configuration is read from Django settings (CELERY_* names).

With no CELERY_BROKER_URL, settings make every task run eagerly in-process, so the local
demo needs no Redis. In production: Redis broker, one beat, any number of workers.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havering_improve.settings.base")

app = Celery("havering_improve")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks here are idempotent by design; a task whose worker dies is redelivered, not lost.
app.conf.task_acks_late = True
app.conf.task_reject_on_worker_lost = True
app.autodiscover_tasks()

# The beat schedule lives in code. Exactly one beat process runs per deployment.
app.conf.beat_schedule = {
    "outbox-sweep": {"task": "havering_improve.tasks.outbox_sweep_task", "schedule": 60.0},
    # The Improvement Board: packs N days before each meeting, reminders to leads, and the
    # progress reports to other bodies. Daily; each job is idempotent, so a rerun is harmless.
    "board-packs-due": {
        "task": "reporting.tasks.packs_due_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "board-reminders": {
        "task": "reporting.tasks.reminders_send_task",
        "schedule": crontab(hour=7, minute=30),
    },
    "board-reports-due": {
        "task": "reporting.tasks.reports_due_task",
        "schedule": crontab(hour=8, minute=0),
    },
}


# The daily jobs a beat that has just started runs at once rather than at their hour: a demo
# started in the afternoon, or a deployment whose beat was down at 08:00, catches up. Each job
# is idempotent, so running it again on the same day does nothing new.
CATCH_UP_ON_START = ["board-packs-due", "board-reminders", "board-reports-due"]


@beat_init.connect
def catch_up_daily_jobs(sender=None, **kwargs):
    for name in CATCH_UP_ON_START:
        app.send_task(app.conf.beat_schedule[name]["task"])
