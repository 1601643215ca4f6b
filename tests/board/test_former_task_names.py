"""Packs, reminders and reports are queued as `reporting.tasks.…`; work queued under the names
those tasks had before (`board.tasks.…`: kept in the outbox while the broker was down, or waiting
on the broker as a new release starts) still runs the same work, once."""

import pytest
from django.db import transaction

from havering_improve import outbox
from havering_improve.celery import app
from reporting.models import MeetingPack

pytestmark = pytest.mark.django_db

FORMER = [
    "pack_build_task",
    "packs_due_task",
    "pack_tell_board_task",
    "reminders_send_task",
    "reports_due_task",
    "report_generate_task",
]


@pytest.mark.parametrize("name", FORMER)
def test_each_former_name_is_still_a_task(name):
    app.loader.import_default_modules()
    assert f"board.tasks.{name}" in app.tasks
    assert f"reporting.tasks.{name}" in app.tasks


def test_a_pack_build_queued_under_its_former_name_builds_the_pack_once(
    meeting, django_capture_on_commit_callbacks
):
    pack = MeetingPack.objects.create(meeting=meeting, version=1)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox.enqueue("board.tasks.pack_build_task", pack.pk, pack.build_attempt)
    pack.refresh_from_db()
    assert pack.status == MeetingPack.Status.READY
    built_at = pack.built_at
    # Delivered again under either name: the attempt is done, nothing is rebuilt.
    for name in ("board.tasks.pack_build_task", "reporting.tasks.pack_build_task"):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                outbox.enqueue(name, pack.pk, pack.build_attempt)
    pack.refresh_from_db()
    assert pack.built_at == built_at
