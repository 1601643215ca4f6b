"""`make run` shows nobody a technical page: it runs with DEBUG off and the DEMO setting on
(havering_improve/settings/demo.py), so an unknown address or a failure shows the service's own
error page, never Django's list of addresses, a traceback or the settings. Its database and mail
are readable only by the person running it."""

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from portfolio import views as portfolio_views

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
RUN_SETTINGS = "havering_improve.settings.demo"
SHOWN = ["DEBUG", "DEMO", "ALLOWED_HOSTS", "EMAIL_BACKEND", "WHITENOISE_USE_FINDERS"]


def _run_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "SECRET_KEY")}
    env = {k: v for k, v in env.items() if k not in ("ALLOWED_HOSTS", "EMAIL_BACKEND")}
    env.update(DJANGO_SETTINGS_MODULE=RUN_SETTINGS, **overrides)
    return env


def _in_run_settings(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=_run_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def run_settings():
    """The settings `make run` runs with, as that process sees them."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(rf"^run: export DJANGO_SETTINGS_MODULE :?= {RUN_SETTINGS}$", makefile, re.M)
    result = _in_run_settings(
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_run_has_debug_off_and_the_demo_setting_on(run_settings):
    assert run_settings["DEBUG"] is False
    assert run_settings["DEMO"] is True
    assert run_settings["EMAIL_BACKEND"] == "havering_improve.mail.EmlFileBackend"
    assert run_settings["WHITENOISE_USE_FINDERS"] is True  # static files without DEBUG
    assert set(run_settings["ALLOWED_HOSTS"]) == {"127.0.0.1", "localhost"}


def _as_the_run(settings, run_settings):
    for name, value in run_settings.items():
        setattr(settings, name, value)


def test_an_anonymous_visitor_to_an_unknown_address_sees_the_services_page_not_the_url_list(
    client, settings, run_settings
):
    _as_the_run(settings, run_settings)
    response = client.get("/no/such/page/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "govuk-heading-l" in html
    assert "URLconf" not in html and "admin/" not in html and "budget/" not in html


def test_a_failure_while_signed_in_shows_the_services_page_not_the_traceback(
    settings, run_settings, board_member, monkeypatch
):
    _as_the_run(settings, run_settings)

    def broken():
        raise RuntimeError("SECRET-DETAIL of the failure")

    monkeypatch.setattr(portfolio_views, "kept_programme", broken)
    client = Client(raise_request_exception=False)
    client.force_login(board_member)
    response = client.get("/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 500
    html = response.content.decode()
    assert "govuk-heading-l" in html and "Sorry, there is a problem with the service" in html
    for technical in ("Traceback", "SECRET-DETAIL", "SECRET_KEY", "DATABASES", "settings"):
        assert technical not in html


def test_the_demo_database_and_mail_are_readable_only_by_their_owner(tmp_path):
    earlier = tmp_path / "earlier.sqlite3"
    earlier.touch(mode=0o644)  # left by a run before this change
    earlier.chmod(0o644)
    send = (
        "from django.db import connection; connection.ensure_connection()\n"
        "from django.core.mail import send_mail\n"
        "send_mail('Reminder', 'Body', 'improvement@havering.example', ['lead@havering.example'])"
    )
    for db in (tmp_path / "fresh.sqlite3", earlier):
        mail = tmp_path / f"mail-{db.stem}"
        result = _in_run_settings(send, DATABASE_URL=f"sqlite:///{db}", EMAIL_FILE_PATH=str(mail))
        assert result.returncode == 0, result.stderr[-2000:]
        assert stat.S_IMODE(db.stat().st_mode) == 0o600, db.name
        assert stat.S_IMODE(mail.stat().st_mode) == 0o700
        messages = list(mail.glob("*.eml"))
        assert len(messages) == 1
        assert stat.S_IMODE(messages[0].stat().st_mode) == 0o600


def test_the_demo_setting_refuses_to_serve_any_host_but_this_machine(tmp_path):
    result = _in_run_settings(
        "", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", ALLOWED_HOSTS="improve.example"
    )
    assert result.returncode != 0
    assert "DEMO is on" in result.stderr and "A deployment runs with DEMO off" in result.stderr
