"""Production's shape on one machine: two web processes and two Celery workers against one
PostgreSQL and one Redis. Everyone presses "build the pack" at once and the reminder job runs on
both workers at once: there is still one pack and one reminder per lead."""

import datetime as dt
import http.client
import re
import threading
import time
from urllib.parse import urlparse

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from board import selectors, services
from board.models import Board, Meeting, MeetingPack, ReminderSent
from havering_improve.celery import app
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
        if services.working_days_before(deadline, settings.reminder_working_days) == today:
            meeting.save()
            return meeting
    raise AssertionError("No meeting date puts a reminder today")


def test_two_web_processes_and_two_workers_make_one_pack_and_one_reminder_each(
    programme, programme_manager, lead, other_lead, theme, other_theme
):
    need(using_postgres(), "worker and web processes need PostgreSQL (DATABASE_URL=postgres://…)")
    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = _meeting_with_a_reminder_due_today(board)
    meeting.slots.create(theme=theme)
    meeting.slots.create(theme=other_theme)
    session = _session_for(programme_manager)

    with broker(REDIS_URL) as queue:
        workers = [start_worker_process(queue, name=f"worker{n}") for n in (1, 2)]
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
                # Meanwhile beat's reminder job is delivered twice, one to each worker.
                for _ in range(2):
                    app.send_task("board.tasks.reminders_send_task", queue=queue)
                for press in presses:
                    press.join(timeout=90)
                assert statuses and all(s == 302 for s in statuses), statuses

                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    packs = list(MeetingPack.objects.filter(meeting=meeting))
                    if packs and all(p.status != MeetingPack.Status.BUILDING for p in packs):
                        break
                    time.sleep(1)
                time.sleep(3)  # let any duplicate work show itself
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)

    packs = MeetingPack.objects.filter(meeting=meeting)
    assert packs.count() == 1
    assert packs.get().status == MeetingPack.Status.READY
    reminders = ReminderSent.objects.filter(meeting=meeting)
    assert sorted(reminders.values_list("recipient", flat=True)) == sorted(
        [lead.email, other_lead.email]
    )
