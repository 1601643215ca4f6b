"""Run the app under gunicorn (the production server) against the test database."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.celery_worker import database_url_for_worker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_STATIC_ROOT = Path(tempfile.gettempdir()) / "havering-improve-test-static"


def collected_static() -> str:
    """Production serves collected, hashed static files (WhiteNoise's manifest): collect them
    once for the test run, as a release does."""
    if not (_STATIC_ROOT / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=_base_env(STATIC_ROOT=str(_STATIC_ROOT)),
            check=True,
            timeout=300,
        )
    return str(_STATIC_ROOT)


def _base_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="havering_improve.settings.base",
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,  # sessions made by the test must be valid there
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        **overrides,
    )
    return env


def production_env(**overrides) -> dict:
    return _base_env(
        DATABASE_URL=database_url_for_worker(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        STATIC_ROOT=collected_static(),
        **overrides,
    )


def get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0


@contextlib.contextmanager
def gunicorn(workers: int = 1, **env_overrides):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "havering_improve.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60"],
        cwd=settings.BASE_DIR,
        env=production_env(**env_overrides),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while get(f"{url}/healthz") == 0:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"gunicorn did not start:\n{process.communicate()[0][-3000:]}")
        time.sleep(0.2)
    try:
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
