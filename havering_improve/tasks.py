from celery import shared_task

from havering_improve import outbox


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_sweep_task() -> int:
    """Queue tasks that were kept back while the broker was down (runs every minute on beat)."""
    return outbox.outbox_sweep()
