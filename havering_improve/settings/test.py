"""Settings for the test suite: fast hashing, in-process tasks unless a test starts a worker."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per pytest-xdist worker: tests that replace every file never meet another's.
MEDIA_ROOT = BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_VERBOSE = False
# Pages compute their summaries afresh in tests (a test's changes are never committed, so the
# data version would not move); tests/test_summaries.py checks the cache itself.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "summaries": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tests read security events with caplog; nothing needs printing.
    "loggers": {"havering_improve.security": {"level": "INFO", "propagate": True}},
}
