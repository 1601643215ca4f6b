"""A worker killed with SIGKILL in the middle of building a pack: the task comes back to another
worker (acks_late + reject_on_worker_lost), and there is exactly one pack, complete."""

import datetime as dt
import queue as queue_module
import signal
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from board.models import Board, Meeting
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack
from tests.celery_broker import broker
from tests.celery_worker import start_worker_process
from tests.services import REDIS_URL, need, redis_available, using_postgres

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# Redis hands an unacknowledged task to another worker after this many seconds (in production
# it is above the longest task's time limit); short here so the test does not wait long.
VISIBILITY = 5
WORKER_ENV = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY)}


def _lines(process) -> queue_module.Queue:
    lines = queue_module.Queue()

    def pump():
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for(lines, text, timeout):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue_module.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"Worker never said {text!r}:\n{''.join(seen[-40:])}")


def test_a_pack_survives_its_worker_being_killed_mid_build(programme, programme_manager):
    need(using_postgres(), "a worker process needs PostgreSQL (DATABASE_URL=postgres://…)")
    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=timezone.localdate() + dt.timedelta(days=10))
    for slug in ("supervision", "quality-assurance"):
        meeting.slots.create(theme=programme.themes.get(slug=slug))

    with broker(REDIS_URL) as queue:
        doomed = start_worker_process(
            queue,
            name="doomed",
            app="tests.worker_app",
            SLOW_TASKS="reporting.tasks.pack_build_task",
            SLOW_TASK_SECONDS="30",
            **WORKER_ENV,
        )
        doomed_lines = _lines(doomed)
        try:
            _wait_for(doomed_lines, "ready.", timeout=60)
            pack = pack_actions.pack_request(meeting=meeting, actor=programme_manager)
            _wait_for(doomed_lines, "SLOW TASK STARTED reporting.tasks.pack_build_task", timeout=60)
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(timeout=20)
        finally:
            if doomed.poll() is None:
                doomed.kill()
        pack.refresh_from_db()
        assert pack.status == MeetingPack.Status.BUILDING  # killed before it could finish
        time.sleep(VISIBILITY + 1)  # the task is now due back to any worker

        survivor = start_worker_process(queue, name="survivor", **WORKER_ENV)
        survivor_lines = _lines(survivor)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                pack.refresh_from_db()
                if pack.status != MeetingPack.Status.BUILDING:
                    break
                time.sleep(1)
        finally:
            survivor.terminate()
            survivor.wait(timeout=30)
        log = "".join(survivor_lines.queue)

    assert pack.status == MeetingPack.Status.READY, f"{pack.status} {pack.error}\n{log[-3000:]}"
    assert MeetingPack.objects.filter(meeting=meeting).count() == 1
    assert pack.pdf.size > 0 and pack.snapshot_sha256
    assert get_user_model().objects.filter(pk=programme_manager.pk).exists()
