"""The pack build on a real Celery worker over Redis, against the test's PostgreSQL database."""

import io

import pytest
from pypdf import PdfReader

from reporting.models import MeetingPack
from reporting.tasks import pack_build_task
from tests.celery_worker import running_worker
from tests.services import need, redis_available, using_postgres

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_builds_the_pack_and_a_second_delivery_changes_nothing(meeting):
    need(using_postgres(), "a worker process needs PostgreSQL (DATABASE_URL=postgres://…)")
    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    pack = MeetingPack.objects.create(meeting=meeting, version=1)
    with running_worker() as worker:
        try:
            first = worker.send(pack_build_task.name, pack.pk, pack.build_attempt).get(timeout=120)
            pack.refresh_from_db()
            built_at = pack.built_at
            again = worker.send(pack_build_task.name, pack.pk, pack.build_attempt).get(timeout=60)
        except Exception as exc:
            pytest.fail(f"The worker did not answer ({exc!r}). Its log:\n{worker.log()}")
    assert (first, again) == ("ready", "ready")
    pack.refresh_from_db()
    assert pack.built_at == built_at
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.pdf.read())).pages)
    assert "Focus theme: Supervision" in text
