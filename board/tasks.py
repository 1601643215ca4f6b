from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def programme_summary(programme_id: int) -> dict:
    """Compute the programme's headline figures on a worker. Read-only, so safe to redeliver."""
    return services.programme_summary(programme_id=programme_id)
