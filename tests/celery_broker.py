"""Point the project's own Celery app at a broker for one test, and put it back afterwards."""

import contextlib
import uuid

from kombu import pools as kombu_pools

from havering_improve.celery import app


def _drop_pools():
    """Forget pooled broker connections (kombu keeps them in a global registry too), so the next
    publish connects to whatever broker the settings now name."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker(url: str):
    queue = f"test-{uuid.uuid4().hex[:10]}"
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    _drop_pools()
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    try:
        yield queue
    finally:
        app.conf.update(saved)
        _drop_pools()
