"""Production's shape on one machine: two web processes and two Celery workers against one
PostgreSQL and one Redis. Everyone presses "build the pack" at once, and beat's reminder job and
progress-report job are each delivered twice, once to each worker: there is still one pack, one
reminder per lead, and one progress report sent once to each of its recipients."""

import datetime as dt
import http.client
import re
import socket
import subprocess
import threading
import time
from urllib.parse import urlparse

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from board import selectors
from board.models import Board, Meeting
from havering_improve.celery import app
from reporting.actions import reminders as reminder_actions
from reporting.models import (
    MeetingPack,
    ProgressReport,
    ReminderSent,
    ReportDelivery,
    ReportSchedule,
)
from tests.celery_broker import broker
from tests.celery_worker import start_worker_process
from tests.servers import gunicorn
from tests.services import REDIS_URL, need, redis_available, using_postgres

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["last_seen"] = int(time.time())
    session.save()
    return session.session_key


def _request(base, method, path, cookies, headers=None, body=None):
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.getheader("Set-Cookie") or "", data


def _meeting_with_a_reminder_due_today(board) -> Meeting:
    """A meeting whose leads are due their first reminder today (whatever today is)."""
    settings = selectors.board_settings(board)
    today = timezone.localdate()
    for offset in range(1, 60):
        meeting = Meeting(board=board, date=today + dt.timedelta(days=offset))
        deadline = selectors.pack_deadline(meeting, settings)
        if reminder_actions.working_days_before(deadline, settings.reminder_working_days) == today:
            meeting.save()
            return meeting
    raise AssertionError("No meeting date puts a reminder today")


class _Log:
    """A worker's output, read as it comes so the worker never blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process):
        for line in process.stdout:
            self.lines.append(line)

    def text(self) -> str:
        self._thread.join(timeout=10)
        return "".join(self.lines)


def _listen_also_on(worker_name: str, queue: str) -> None:
    """Ask one named worker (by Celery's remote control) to consume a queue of its own too, so a
    job sent there is delivered to that worker and no other. Retried until the worker, which
    may still be starting, answers."""
    destination = f"{worker_name}@{socket.gethostname()}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.add_consumer(queue, destination=[destination], reply=True, timeout=1):
            return
    raise AssertionError(f"{destination} did not start listening on {queue}")


def _wait_until(done, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        time.sleep(1)


def test_two_web_processes_and_two_workers_make_one_pack_one_reminder_and_one_report_each(
    programme, programme_manager, lead, other_lead, theme, other_theme
):
    need(using_postgres(), "worker and web processes need PostgreSQL (DATABASE_URL=postgres://…)")
    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = _meeting_with_a_reminder_due_today(board)
    meeting.slots.create(theme=theme)
    meeting.slots.create(theme=other_theme)
    scrutiny = Board.objects.get(programme=programme, slug="scrutiny")
    ReportSchedule.objects.filter(active=True).exclude(board=scrutiny).update(active=False)
    ReportSchedule.objects.update_or_create(
        board=scrutiny,
        defaults={
            "frequency": ReportSchedule.Frequency.QUARTERLY,
            "sections": ["overview", "decisions", "actions"],
            "recipients": "clerk@havering.example\nchair@havering.example",
            "active": True,
        },
    )
    session = _session_for(programme_manager)

    with broker(REDIS_URL) as queue:
        workers = [start_worker_process(queue, name=f"worker{n}") for n in (1, 2)]
        logs = [_Log(worker) for worker in workers]
        own_queues = [f"{queue}-worker{n}" for n in (1, 2)]
        for n, own_queue in zip((1, 2), own_queues, strict=True):
            _listen_also_on(f"worker{n}", own_queue)
        try:
            with gunicorn(workers=2, CELERY_BROKER_URL=REDIS_URL, CELERY_QUEUE=queue) as (url, _):
                status, set_cookie, _ = _request(url, "GET", f"/board/meetings/{meeting.pk}/",
                                                 {"sessionid": session})  # fmt: skip
                assert status == 200
                csrf = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
                cookies = {"sessionid": session, "csrftoken": csrf}
                statuses = []

                def press_build():
                    statuses.append(
                        _request(url, "POST", f"/board/meetings/{meeting.pk}/pack/build/",
                                 cookies, {"X-CSRFToken": csrf})[0]
                    )  # fmt: skip

                presses = [threading.Thread(target=press_build) for _ in range(8)]
                for press in presses:
                    press.start()
                # Meanwhile beat's reminder job and its progress-report job are each delivered
                # twice, one to each worker.
                for own_queue in own_queues:
                    app.send_task("reporting.tasks.reminders_send_task", queue=own_queue)
                    app.send_task("reporting.tasks.reports_due_task", queue=own_queue)
                for press in presses:
                    press.join(timeout=90)
                assert statuses and all(s == 302 for s in statuses), statuses

                def settled(model, building):
                    rows = list(model.objects.all())
                    return rows and all(row.status != building for row in rows)

                _wait_until(lambda: settled(MeetingPack, MeetingPack.Status.BUILDING))
                _wait_until(lambda: settled(ProgressReport, ProgressReport.Status.BUILDING))
                time.sleep(3)  # let any duplicate work show itself
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
    worker_logs = [log.text() for log in logs]

    packs = MeetingPack.objects.filter(meeting=meeting)
    assert packs.count() == 1
    assert packs.get().status == MeetingPack.Status.READY
    reminders = ReminderSent.objects.filter(meeting=meeting)
    assert sorted(reminders.values_list("recipient", flat=True)) == sorted(
        [lead.email, other_lead.email]
    )

    # Each worker ran the report job (so both ran it at about the same time)…
    for log in worker_logs:
        assert re.search(r"Task reporting\.tasks\.reports_due_task\[[^]]+\] succeeded", log), log[
            -3000:
        ]
    # …and there is one report for the period, sent once to each recipient.
    report = ProgressReport.objects.get()
    assert report.schedule.board == scrutiny
    assert report.status == ProgressReport.Status.SENT, report.error
    assert sorted(ReportDelivery.objects.values_list("recipient", flat=True)) == [
        "chair@havering.example",
        "clerk@havering.example",
    ]
    emailed = re.findall(r"^To: (\S+)$", "".join(worker_logs), flags=re.MULTILINE)
    recipients = {"chair@havering.example", "clerk@havering.example"}
    assert sorted(e for e in emailed if e in recipients) == sorted(recipients)
