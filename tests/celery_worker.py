"""Start a real Celery worker process on Redis against the test database."""

import contextlib
import os
import subprocess
import sys
import uuid

from django.conf import settings
from django.db import connection

from tests.services import REDIS_URL


def database_url_for_worker() -> str:
    """The test database (not the real one) as a URL the worker's settings understand."""
    s = connection.settings_dict
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{s['NAME']}"


@contextlib.contextmanager
def running_worker(app):
    """Point the Celery app at Redis on a private queue and run one worker on it."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "havering_improve.settings.base",
        "DEBUG": "true",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "havering_improve",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.conf.update(saved)
        # Drop the pooled connections so the next test starts clean.
        app.pool.force_close_all()
