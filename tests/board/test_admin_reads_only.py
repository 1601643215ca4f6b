"""The admin reads the board's and reporting's programme data, with its history, and never adds,
changes or deletes it: every change goes through the app's actions (rule, version, history)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from simple_history.models import HistoricalChanges

from reporting.models import MeetingPack
from tests.form_page import signed_in

pytestmark = pytest.mark.django_db

APPS = ("board", "reporting")


def _registrations():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS and not issubclass(model, HistoricalChanges)
    ]


def test_every_programme_model_of_the_board_and_reporting_is_in_the_admin():
    models = {
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    }
    assert models == {model for model, _ in _registrations()}


def test_no_board_or_reporting_admin_can_add_change_or_delete():
    superuser = get_user_model().objects.create_superuser("root", "root@havering.example", "x")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    allowed = []
    for model, model_admin in _registrations():
        for name, can in [
            ("add", model_admin.has_add_permission(request)),
            ("change", model_admin.has_change_permission(request)),
            ("delete", model_admin.has_delete_permission(request)),
        ]:
            if can:
                allowed.append(f"{model._meta.label}: {name}")
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                allowed.append(f"{model._meta.label} inline {inline.model._meta.label}")
        assert model_admin.has_view_permission(request), model._meta.label
    assert allowed == []


def test_a_published_packs_history_is_still_read_in_the_admin(programme_manager, meeting):
    pack = MeetingPack.objects.create(meeting=meeting, version=1)
    client = signed_in(programme_manager)
    for url in [
        f"/admin/reporting/meetingpack/{pack.pk}/change/",
        f"/admin/reporting/meetingpack/{pack.pk}/history/",
        f"/admin/board/meeting/{meeting.pk}/history/",
    ]:
        assert client.get(url).status_code == 200, url
    deleted = client.post(f"/admin/reporting/meetingpack/{pack.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert MeetingPack.objects.filter(pk=pack.pk).exists()
