"""The guardrails a council's IT team relies on."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command


def _environ(**overrides):
    """This process's environment less what only tests set, plus the overrides."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DJANGO_SETTINGS_MODULE": "havering_improve.settings.base", **overrides}


def test_check_deploy_is_clean_with_debug_off_and_a_real_secret():
    env = _environ(
        DEBUG="false",
        SECRET_KEY="x8#k2!vQ9zL@m4pR7wT1yB6nC3dF5gH0jK8lM2nP4qS6tV9wX1zA3bE5cG7",
        ALLOWED_HOSTS="improve.havering.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_app_refuses_to_start_without_a_secret_when_debug_is_off():
    env = _environ(DEBUG="false", SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_setting_fails_loudly():
    env = _environ(DEBUG="perhaps")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration(settings):
    # The apps' own migrations, even when the test database was made from the models
    # (pytest --no-migrations, as CI does, switches every app's migrations off).
    settings.MIGRATION_MODULES = {}
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when something is missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()} (exit {exc.code})")
