import pytest
from django.db import transaction

from board.tasks import programme_summary_task
from havering_improve import outbox
from havering_improve.models import OutboxTask
from tests.celery_broker import broker
from tests.services import REDIS_URL, need, redis_available

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"


def test_without_a_broker_queued_work_runs_in_process_after_commit(
    programme, django_capture_on_commit_callbacks, monkeypatch
):
    ran = []
    monkeypatch.setattr(
        "board.selectors.programme_summary", lambda *, programme_id: ran.append(programme_id)
    )
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox.enqueue("board.tasks.programme_summary_task", programme.pk)
            assert ran == []  # nothing runs before the transaction commits
    assert ran == [programme.pk]


def test_work_queued_while_the_broker_is_down_is_kept_and_pages_still_work(
    client, programme, board_member, django_capture_on_commit_callbacks
):
    with broker(DEAD_BROKER):
        with django_capture_on_commit_callbacks(execute=True):
            outbox.enqueue("board.tasks.programme_summary_task", programme.pk)
        client.force_login(board_member)
        assert client.get("/").status_code == 200
        health = client.get("/healthz").json()
    kept = OutboxTask.objects.get()
    assert (kept.task_name, kept.args, kept.sent_at) == (
        programme_summary_task.name,
        [programme.pk],
        None,
    )
    assert kept.last_error != ""  # the reason is kept for whoever looks
    assert health["database"] == "ok"


def test_the_sweep_keeps_work_while_the_broker_is_still_down(programme):
    OutboxTask.objects.create(task_name=programme_summary_task.name, args=[programme.pk])
    with broker(DEAD_BROKER):
        assert outbox.outbox_sweep() == 0
    kept = OutboxTask.objects.get()
    assert kept.sent_at is None and kept.attempts == 1


def test_the_sweep_queues_kept_work_once_the_broker_is_back(programme):
    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    import redis

    OutboxTask.objects.create(task_name=programme_summary_task.name, args=[programme.pk])
    with broker(REDIS_URL) as queue:
        assert outbox.outbox_sweep() == 1
        assert outbox.outbox_sweep() == 0  # already sent: never twice
        waiting = redis.Redis.from_url(REDIS_URL).llen(queue)
        redis.Redis.from_url(REDIS_URL).delete(queue)
    assert waiting == 1
    assert OutboxTask.objects.get().sent_at is not None
    assert outbox.outbox_pending() == 0
