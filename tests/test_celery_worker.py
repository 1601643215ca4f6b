import pytest

from board.tasks import programme_summary_task
from tests.celery_worker import running_worker
from tests.services import need, redis_available, using_postgres

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_without_a_broker_tasks_run_in_process(programme):
    result = programme_summary_task.delay(programme.pk)
    assert result.get(timeout=1)["themes"] == 7


def test_a_real_worker_on_redis_reads_the_programme_from_the_database(programme):
    need(using_postgres(), "a worker process needs PostgreSQL (DATABASE_URL=postgres://…)")
    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    # A strand that exists only in this test's database: the worker must be reading it.
    programme.strands.create(code="g", slug="practice-observations", title="Observations", order=7)
    with running_worker() as worker:
        result = worker.send(programme_summary_task.name, programme.pk)
        try:
            summary = result.get(timeout=60)
        except Exception as exc:
            pytest.fail(f"The worker did not answer ({exc!r}). Its log:\n{worker.log()}")
    assert summary == {
        "programme": "Children's Social Care Improvement Programme",
        "themes": 7,
        "evaluation_strands": 7,
        "budget_total": "750000.00",
    }
    assert result.status == "SUCCESS"
