"""The evaluation's records are read in the admin, with their history, and changed only through
the evaluation pages: no evaluation admin adds, changes or deletes, for anyone."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _registered():
    models = [
        m
        for m in apps.get_app_config("evaluation").get_models()
        if not m.__name__.startswith("Hist")
    ]
    return {model: admin.site._registry.get(model) for model in models}


def test_every_evaluation_record_is_read_only_in_the_admin_even_to_a_superuser(
    programme_manager,
):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    registered = _registered()
    assert None not in registered.values(), [m for m, a in registered.items() if a is None]
    writable = []
    for model, model_admin in registered.items():
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            writable.append(model.__name__)
        if model_admin.has_delete_permission(request):
            writable.append(model.__name__)
        for inline in model_admin.get_inline_instances(request):
            if (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request)
                or inline.has_delete_permission(request)
            ):
                writable.append(f"{model.__name__} inline {inline.model.__name__}")
        assert model_admin.has_view_permission(request), model.__name__
    assert writable == []


def test_the_programme_manager_reads_a_finding_and_its_history_but_cannot_change_it(
    client, programme_manager, finding
):
    client.force_login(programme_manager)
    base = f"/admin/evaluation/finding/{finding.pk}"
    assert client.get(f"{base}/history/").status_code == 200
    page = client.get(f"{base}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"{base}/change/", {"title": "Changed here"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/evaluation/finding/add/").status_code == 403
    finding.refresh_from_db()
    assert finding.title == "Supervision is not reflective"
