"""The themes' records are read in the admin, with their history, and changed only through the
service's pages: no admin of a theme's records can add, change or delete one, even for a
superuser, and a past version in the history is never saved back over a record."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from programme.models import Programme
from tests.factories import UserFactory
from tests.form_page import signed_in
from tests.themes.factories import HighlightReportFactory, MilestoneFactory
from themes.models import HighlightReport, Milestone

pytestmark = pytest.mark.django_db


def _themes_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "themes" and model is not Programme
    ]


def test_every_record_of_a_theme_is_in_the_admin():
    names = {model.__name__ for model, _ in _themes_admins()}
    assert {"Theme", "TeamMembership", "Milestone", "Measure", "MeasureReading", "Risk"} <= names
    assert {"HighlightReport", "PID", "PIDVersion", "Comment", "Evidence"} <= names


def test_no_admin_of_a_themes_records_can_add_change_or_delete(programme):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    for model, model_admin in _themes_admins():
        record = model()
        assert model_admin.has_view_permission(request, record), model
        for rule in ("add", "change", "delete"):
            allowed = getattr(model_admin, f"has_{rule}_permission")(request, record)
            assert allowed is False, f"{model.__name__} admin: {rule}"
        for inline in model_admin.get_inline_instances(request, record):
            assert not inline.has_add_permission(request, record), inline
            assert not inline.has_change_permission(request, record), inline
            assert not inline.has_delete_permission(request, record), inline


def test_the_programme_manager_reads_a_milestone_and_its_history_but_cannot_change_it(
    theme, programme_manager
):
    milestone = MilestoneFactory(theme=theme, title="Audit tool agreed", owner="")
    client = signed_in(programme_manager)
    url = f"/admin/themes/milestone/{milestone.pk}/"
    page = client.get(f"{url}change/")
    assert page.status_code == 200
    assert "Audit tool agreed" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"{url}change/", {"title": "Changed", "owner": "Me"}).status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/themes/milestone/add/").status_code == 403
    assert client.get(f"{url}history/").status_code == 200
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert (milestone.title, milestone.owner, milestone.version) == ("Audit tool agreed", "", 1)


def test_a_submitted_report_is_not_reopened_from_its_history_in_the_admin(theme, programme_manager):
    report = HighlightReportFactory(theme=theme, submitted=True)
    past = report.history.earliest("history_date")
    client = signed_in(programme_manager)
    url = f"/admin/themes/highlightreport/{report.pk}/history/{past.history_id}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "draft", "overall_rag": "green"})
    assert response.status_code == 403
    assert HighlightReport.objects.get(pk=report.pk).status == HighlightReport.Status.SUBMITTED
