"""Settings for `make run`, the local demo: DEBUG off, so nobody sees a technical error page
(an unknown address or a failure shows the service's own page, never the URL list, a traceback
or the settings), and DEMO on for what the demo needs: its users with the shared password, e-mail
written to var/mail/, static files served by the app itself (WhiteNoise finds them where they
are, no collectstatic) and plain HTTP on this machine only.

The demo's database and mail are readable only by the person running it: everything the demo's
processes create is private (umask 077: files 0600, folders 0700), and a database or var/ folder
left by an earlier run is made private too. The secret key is made once per checkout, in
var/secret-key."""

import os
import secrets
import warnings
from pathlib import Path

_BASE_DIR = Path(__file__).resolve().parent.parent.parent
_VAR = _BASE_DIR / "var"

os.umask(0o077)


def _private(path: Path, mode: int) -> None:
    if path.exists() and (path.stat().st_mode & 0o777) != mode:
        path.chmod(mode)


def _secret_key() -> str:
    """This checkout's own key, made on first use and kept in var/secret-key (0600)."""
    _VAR.mkdir(mode=0o700, exist_ok=True)
    path = _VAR / "secret-key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO", "true")
os.environ.setdefault("SECRET_KEY", _secret_key())

from .base import *  # noqa: E402,F403
from .base import DATABASES, EMAIL_FILE_PATH  # noqa: E402

# Static files straight from static/ and the apps (runserver serves none with DEBUG off), so
# the collected folder a deployment serves from is not needed, nor missed.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at: .*staticfiles")

for _folder in (_VAR, Path(EMAIL_FILE_PATH)):
    _private(_folder, 0o700)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _private(Path(DATABASES["default"]["NAME"]), 0o600)
    # Write-ahead logging: the web app and the worker read while the other writes, and a commit
    # does not wait for the disk (a power cut may lose the last moments of the demo, never the
    # file). Its -wal and -shm files are as private as the database (umask above).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
