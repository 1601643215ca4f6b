from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_signing_in_and_reports_eager_tasks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("havering_improve.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_reports_a_broker_that_does_not_answer_as_down(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "down"}


def test_healthz_reports_a_broker_that_answers_as_ok(client, settings):
    from tests.services import REDIS_URL, need, redis_available

    need(redis_available(), "no Redis answers on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = REDIS_URL
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok"}


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["improve.havering.gov.uk"])
def test_healthz_answers_a_load_balancers_plain_http_probe_by_address(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # Everything else still goes to HTTPS, and only by the service's own name.
    page = client.get("/", HTTP_HOST="improve.havering.gov.uk")
    assert page.status_code == 301
    assert page["Location"].startswith("https://improve.havering.gov.uk/")
    assert client.get("/", HTTP_HOST="10.0.3.17:8000").status_code == 400
