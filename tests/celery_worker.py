"""Start a real Celery worker process on Redis against the test database."""

import contextlib
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass

from celery import Celery
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


@dataclass
class Worker:
    process: subprocess.Popen
    client: Celery
    queue: str

    def send(self, task_name: str, *args):
        """Queue a task by name for this worker, as the web app would; returns an AsyncResult."""
        return self.client.send_task(task_name, args=args, queue=self.queue)

    def log(self) -> str:
        self.process.terminate()
        return self.process.communicate(timeout=20)[0][-4000:]


def start_worker_process(
    queue: str, *, name: str = "", app: str = "havering_improve", **env_overrides
) -> subprocess.Popen:
    """A Celery worker process (one at a time: --pool=solo) on `queue`, against the test
    database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "havering_improve.settings.base",
        "DEBUG": "true",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # With DEBUG on, mail would go to .eml files in var/mail; a test worker prints it to its
        # output instead, where tests read it and nothing is left behind.
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        **env_overrides,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", app, "worker",
            "--pool=solo", "--loglevel=INFO", "-Q", queue, "-n", f"{name or queue}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


@contextlib.contextmanager
def running_worker():
    """One worker process on a private Redis queue, and a client app that talks to it.

    The project's own app stays eager for the rest of the suite; the client here is separate.
    """
    queue = f"test-{uuid.uuid4().hex[:10]}"
    process = start_worker_process(queue)
    # Not the current app: shared tasks used later in this process must keep the project's.
    client = Celery("test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    client.conf.task_serializer = "json"
    try:
        yield Worker(process=process, client=client, queue=queue)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        client.close()
