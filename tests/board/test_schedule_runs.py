"""The schedule that really runs: catching up the reports a schedule owes, "Make this report
now", the daily jobs run when beat starts, the demo's e-mail in files, and a real worker with
beat on the embedded (filesystem) broker making and sending the reports on its own."""

import datetime as dt
import email
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from havering_improve import celery as celery_module
from reporting.actions import reports as report_actions
from reporting.models import ProgressReport, ReportSchedule
from tests.celery_worker import database_url_for_worker
from tests.services import need, using_postgres
from tests.themes.factories import HighlightReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slt_schedule(slt):
    return ReportSchedule.objects.create(
        board=slt,
        frequency=ReportSchedule.Frequency.MONTHLY,
        send_day=5,
        sections=["overview", "milestones"],
        recipients="slt.clerk@havering.example",
        first_period=dt.date(2026, 8, 14),
    )


def test_the_job_makes_every_report_owed_since_the_first_period_once(
    slt_schedule, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(
            today=dt.date(2026, 12, 2)
        )  # November's is not due until the 5th
        report_actions.reports_due(today=dt.date(2026, 12, 2))
    periods = list(
        ProgressReport.objects.order_by("period_start").values_list("period_start", "status")
    )
    assert periods == [
        (dt.date(2026, 8, 1), "sent"),
        (dt.date(2026, 9, 1), "sent"),
        (dt.date(2026, 10, 1), "sent"),
    ]
    assert len(mail.outbox) == 3


def test_a_report_made_late_shows_the_programme_as_at_its_send_day(
    slt_schedule, theme, django_capture_on_commit_callbacks
):
    slt_schedule.first_period = dt.date(2026, 9, 1)
    slt_schedule.save()
    HighlightReportFactory(
        submitted=True,
        theme=theme,
        period=dt.date(2026, 8, 1),
        overall_rag="red",
        submitted_at=timezone.make_aware(dt.datetime(2026, 9, 4, 10)),
    )
    # Submitted after the September report's send day (5 October): not in it.
    HighlightReportFactory(
        submitted=True,
        theme=theme,
        period=dt.date(2026, 9, 1),
        overall_rag="green",
        submitted_at=timezone.make_aware(dt.datetime(2026, 10, 20, 10)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(today=dt.date(2026, 10, 30))
    report = ProgressReport.objects.get(period_start=dt.date(2026, 9, 1))
    row = next(r for r in report.snapshot["overview"] if r["title"] == theme.title)
    assert row["rag"] == "red"
    assert report.snapshot["as_at"] == "5 October 2026"


def test_the_manager_makes_a_report_now_and_a_second_press_says_it_exists(
    client, programme_manager, slt_schedule, slt, django_capture_on_commit_callbacks
):
    client.force_login(programme_manager)
    page = client.get("/board/reports/").content.decode()
    assert "Make this report now" in page
    url = f"/board/reports/bodies/{slt.pk}/make/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    report = ProgressReport.objects.get()
    assert response.url == f"/board/reports/{report.pk}/"
    assert report.status == ProgressReport.Status.SENT
    # The latest month that has ended, without waiting for its send day.
    today = timezone.localdate()
    assert report.period_end == today.replace(day=1) - dt.timedelta(days=1)
    assert mail.outbox[0].to == ["slt.clerk@havering.example"]
    response = client.post(url, follow=True)
    assert "has been made already" in response.content.decode()
    assert ProgressReport.objects.count() == 1
    listing = client.get("/board/reports/").content.decode()
    assert f"/board/reports/{report.pk}/pdf/" in listing
    assert "slt.clerk@havering.example (" in listing


def test_the_daily_jobs_run_when_beat_starts(monkeypatch):
    sent = []
    monkeypatch.setattr(celery_module.app, "send_task", lambda name, **kw: sent.append(name))
    celery_module.catch_up_daily_jobs(sender=None)
    assert sent == [
        "reporting.tasks.packs_due_task",
        "reporting.tasks.reminders_send_task",
        "reporting.tasks.reports_due_task",
    ]


def test_demo_mail_is_a_readable_eml_file_per_message(tmp_path, settings):
    from django.core.mail import EmailMessage, get_connection

    connection = get_connection("havering_improve.mail.EmlFileBackend", file_path=tmp_path)
    message = EmailMessage(
        "Today: highlight report for Supervision", "Dear lead", to=["lead@havering.example"]
    )
    message.attach("report.pdf", b"%PDF-1.7", "application/pdf")
    assert connection.send_messages([message, EmailMessage("Second", "Body", to=["a@b.c"])]) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    first = email.message_from_bytes(
        next(f for f in files if "highlight-report" in f.name).read_bytes()
    )
    assert first["To"] == "lead@havering.example"
    assert first.get_payload()[1].get_filename() == "report.pdf"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_with_beat_on_the_filesystem_broker_makes_and_sends_the_reports(
    tmp_path, slt_schedule
):
    """What `make run` starts: a worker with an embedded beat on kombu's filesystem transport.
    With nothing queued by hand, beat's start-up run makes the reports and e-mails them."""
    need(using_postgres(), "a worker process needs PostgreSQL (DATABASE_URL=postgres://…)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "havering_improve.settings.base",
        "DEBUG": "true",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "havering_improve", "worker", "--beat",
            "--schedule", str(tmp_path / "beat-schedule"), "--pool=solo", "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    # Every report the schedule owes today, by the rule the job follows.
    owed = len(report_actions.report_periods_due(slt_schedule, today=timezone.localdate()))
    mail_folder = tmp_path / "mail"
    try:
        settled = _wait_until_settled(slt_schedule, mail_folder, owed, worker)
    finally:
        worker.terminate()
        log = worker.communicate(timeout=30)[0][-4000:]
    assert settled, log
    # Nothing more after it settled: each owed report made and sent once, one e-mail each.
    reports = ProgressReport.objects.filter(schedule=slt_schedule).order_by("period_start")
    assert [r.status for r in reports] == [ProgressReport.Status.SENT] * owed, log
    report = reports.first()
    assert report.period_start == dt.date(2026, 8, 1)
    assert report.pdf and report.deliveries.get().recipient == "slt.clerk@havering.example"
    assert len(list(mail_folder.glob("*.eml"))) == owed


def _wait_until_settled(schedule, mail_folder, owed, worker, timeout=180) -> bool:
    """Wait until the worker is done: every owed report made and none still being made, an
    e-mail written for each, and the same for two looks a second apart (the worker idle)."""
    deadline = time.monotonic() + timeout
    last, steady = None, 0
    while time.monotonic() < deadline and worker.poll() is None:
        reports = list(
            ProgressReport.objects.filter(schedule=schedule).values_list("status", flat=True)
        )
        state = (
            len(reports),
            reports.count(ProgressReport.Status.SENT),
            len(list(mail_folder.glob("*.eml"))),
        )
        done = state == (owed, owed, owed)
        steady = steady + 1 if done and state == last else 0
        if steady >= 2:
            return True
        last = state
        time.sleep(1)
    return False
