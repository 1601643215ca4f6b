"""Two people editing the same record: the second save is refused and told what changed."""

import pytest
from django.utils.html import escape

from havering_improve.actions import StaleEdit
from themes import selectors
from themes.actions.pid import pid_update
from themes.actions.records import measure_update, milestone_update, risk_update
from themes.actions.reports import highlight_report_update
from themes.models import Milestone, Risk

from .test_permissions import _milestone_post, _risk_post

pytestmark = pytest.mark.django_db


def test_the_second_save_of_a_stale_milestone_form_is_refused_with_what_changed(
    client, lead, programme_manager, milestone
):
    opened_at = milestone.version
    # The programme manager saves first…
    milestone_update(
        milestone=milestone,
        actor=programme_manager,
        version=opened_at,
        status=Milestone.Status.AT_RISK,
        owner="Head of Service",
    )
    # …then the lead saves the form they opened before that.
    client.force_login(lead)
    response = client.post(
        f"/themes/supervision/milestones/{milestone.pk}/edit/",
        _milestone_post(title="Lead's title", version=opened_at),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "your changes were not saved" in html.lower()
    assert "What they changed" in html
    assert "At risk" in html and "Head of Service" in html
    assert escape(programme_manager.get_full_name()) in html  # as the page writes O'Brien
    milestone.refresh_from_db()
    assert milestone.title != "Lead's title"
    assert milestone.owner == "Head of Service"  # nothing was silently overwritten


def test_after_seeing_the_changes_the_editor_can_save_deliberately(
    client, lead, programme_manager, risk
):
    risk_update(risk=risk, actor=programme_manager, version=1, impact=5)
    client.force_login(lead)
    url = f"/themes/supervision/risks/{risk.pk}/edit/"
    first = client.post(url, _risk_post(description="Mine", version=1))
    assert "Impact" in first.content.decode()
    # The form now carries the latest version, so a second, informed save goes through.
    second = client.post(url, _risk_post(description="Mine", version=2))
    assert second.status_code == 302
    assert Risk.objects.get().description == "Mine"


def test_the_service_refuses_a_stale_version(programme_manager, lead, measure):
    measure_update(measure=measure, actor=lead, version=1, name="Renamed")
    with pytest.raises(StaleEdit) as caught:
        measure_update(measure=measure, actor=programme_manager, version=1, name="Other")
    assert caught.value.changes == [{"field": "Name", "before": measure.name, "after": "Renamed"}]
    assert caught.value.changed_by == lead


@pytest.mark.parametrize("kind", ["milestone", "risk"])
def test_an_edit_posted_without_its_version_is_refused_not_saved(
    client, lead, milestone, risk, kind
):
    record, post = {"milestone": (milestone, _milestone_post), "risk": (risk, _risk_post)}[kind]
    client.force_login(lead)
    data = post(title="No version", description="No version")
    data.pop("version", None)
    response = client.post(f"/themes/supervision/{kind}s/{record.pk}/edit/", data)
    assert response.status_code == 200
    assert "missing the version" in response.content.decode()
    before = record.version
    record.refresh_from_db()
    assert record.version == before
    assert getattr(record, "title", getattr(record, "description", "")) != "No version"


def test_a_report_submitted_from_a_page_opened_before_a_change_is_refused_with_the_change(
    client, lead, programme_manager, draft_report
):
    opened_at = draft_report.version
    highlight_report_update(
        report=draft_report,
        actor=programme_manager,
        version=opened_at,
        overall_rag="red",
        overall_reason="Two team managers left.",
        path_to_green="Recruit two team managers.",
    )
    client.force_login(lead)
    url = f"/themes/supervision/reports/{draft_report.pk}/submit/"
    html = client.post(url, {"version": opened_at}).content.decode()
    assert "What they changed" in html and "Red" in html
    draft_report.refresh_from_db()
    assert draft_report.status == "draft"
    # Having seen the red rating, the lead submits it knowingly.
    assert client.post(url, {"version": draft_report.version}).status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == "submitted" and draft_report.overall_rag == "red"


def test_a_pid_submitted_from_a_page_opened_before_a_change_is_refused(
    client, lead, programme_manager, theme
):
    pid = selectors.pid_for_reading(theme)
    opened_at = pid.version
    pid_update(pid=pid, actor=programme_manager, version=opened_at, aims="PM's")
    client.force_login(lead)
    html = client.post("/themes/supervision/pid/submit/", {"version": opened_at}).content.decode()
    assert "What they changed" in html and "PM&#x27;s" in html
    pid.refresh_from_db()
    assert pid.status == "draft"
