"""Every editing address of a theme, for every role, GET and POST: who may and who may not.

Allowed users get the page (200) or are sent on after a save (302); everyone else gets 403 and
nothing changes. Anonymous visitors are sent to sign in."""

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from havering_improve import roles
from tests.factories import UserFactory
from themes.actions.pid import pid_fingerprint
from themes.models import (
    PID,
    Comment,
    Evidence,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    Risk,
    TeamMembership,
)

from .factories import MilestoneFactory, date_fields

pytestmark = pytest.mark.django_db

EDITORS = {"programme_manager", "lead"}
COMMENTERS = EDITORS | {"team_member"}
REFUSED_EDITORS = ["other_lead", "team_member", "board_member", "auditor", "finance_officer"]
REFUSED_COMMENTERS = ["other_lead", "other_member", "board_member", "auditor", "finance_officer"]


def _milestone_post(**extra):
    return {
        "title": "A new milestone",
        "owner": "Someone",
        "status": "on_track",
        **date_fields("due_date", dt.date(2027, 2, 1)),
        **date_fields("completed_on", None),
        **extra,
    }


def _measure_post(**extra):
    return {
        "name": "A measure",
        "definition": "",
        "unit": "percent",
        "direction": "higher",
        "baseline_value": "40",
        "target_value": "80",
        **date_fields("baseline_date", dt.date(2026, 1, 1)),
        **date_fields("target_date", dt.date(2027, 1, 1)),
        **extra,
    }


def _risk_post(**extra):
    return {
        "kind": "risk",
        "description": "A risk",
        "likelihood": "3",
        "impact": "3",
        "owner": "",
        "mitigation": "",
        "status": "open",
        **date_fields("review_date", None),
        **extra,
    }


@pytest.fixture
def pid(theme):
    pid, _ = PID.objects.update_or_create(theme=theme, defaults={"aims": "To help children."})
    return pid


@pytest.fixture
def submitted_pid(pid):
    pid.status = PID.Status.SUBMITTED
    pid.save()
    return pid


class Case(NamedTuple):
    url: str
    data: dict
    model: type  # the records the page changes
    done: Callable[[], bool]  # whether its change is in the database


def _cases(milestone, measure, risk, draft_report, pid) -> dict[str, Case]:
    slug = "supervision"
    candidate = UserFactory(username="candidate", roles=[roles.TEAM_MEMBER])
    leaving = TeamMembership.objects.create(
        theme=milestone.theme,
        user=UserFactory(username="leaving", roles=[roles.TEAM_MEMBER]),
        kind="partner",
        organisation="Health",
    )

    def now(record, **values):
        """Whether the record holds these values now."""
        record = type(record).objects.get(pk=record.pk)
        return all(getattr(record, name) == value for name, value in values.items())

    return {
        "team_add": Case(
            f"/themes/{slug}/team/add/",
            {"member": candidate.pk, "kind": "partner", "organisation": "Police"},
            TeamMembership,
            lambda: TeamMembership.objects.filter(user=candidate, organisation="Police").exists(),
        ),
        "team_remove": Case(
            f"/themes/{slug}/team/{leaving.pk}/remove/",
            {},
            TeamMembership,
            lambda: not TeamMembership.objects.filter(pk=leaving.pk).exists(),
        ),
        "milestone_add": Case(
            f"/themes/{slug}/milestones/add/",
            _milestone_post(),
            Milestone,
            lambda: Milestone.objects.filter(title="A new milestone").exists(),
        ),
        "milestone_edit": Case(
            f"/themes/{slug}/milestones/{milestone.pk}/edit/",
            _milestone_post(version=milestone.version),
            Milestone,
            lambda: now(milestone, title="A new milestone", owner="Someone"),
        ),
        "measure_add": Case(
            f"/themes/{slug}/measures/add/",
            _measure_post(),
            Measure,
            lambda: Measure.objects.filter(name="A measure").exists(),
        ),
        "measure_edit": Case(
            f"/themes/{slug}/measures/{measure.pk}/edit/",
            _measure_post(version=measure.version),
            Measure,
            lambda: now(measure, name="A measure"),
        ),
        "reading_add": Case(
            f"/themes/{slug}/measures/{measure.pk}/readings/add/",
            {"value": "55", "source": "", "note": "", **date_fields("date", dt.date(2026, 11, 1))},
            MeasureReading,
            lambda: measure.readings.filter(value=55, date=dt.date(2026, 11, 1)).exists(),
        ),
        "risk_add": Case(
            f"/themes/{slug}/risks/add/",
            _risk_post(),
            Risk,
            lambda: Risk.objects.filter(description="A risk").exists(),
        ),
        "risk_edit": Case(
            f"/themes/{slug}/risks/{risk.pk}/edit/",
            _risk_post(version=risk.version),
            Risk,
            lambda: now(risk, description="A risk", impact=3),
        ),
        "pid_edit": Case(
            f"/themes/{slug}/pid/edit/",
            {
                "aims": "New aims",
                "scope": "",
                "outcomes": "",
                "governance": "",
                "dependencies": "",
                "version": pid.version,
            },
            PID,
            lambda: now(pid, aims="New aims"),
        ),
        "pid_submit": Case(
            f"/themes/{slug}/pid/submit/",
            {"version": pid.version},
            PID,
            lambda: now(pid, status=PID.Status.SUBMITTED),
        ),
        "report_start": Case(
            f"/themes/{slug}/reports/new/",
            {"period": "2026-10-01"},
            HighlightReport,
            lambda: HighlightReport.objects.filter(period=dt.date(2026, 10, 1)).exists(),
        ),
        "report_edit": Case(
            f"/themes/{slug}/reports/{draft_report.pk}/edit/",
            {"overall_rag": "green", "status_summary": "Fine", "version": draft_report.version},
            HighlightReport,
            lambda: now(draft_report, status_summary="Fine"),
        ),
        "report_submit": Case(
            f"/themes/{slug}/reports/{draft_report.pk}/submit/",
            {"version": draft_report.version},
            HighlightReport,
            lambda: now(draft_report, status=HighlightReport.Status.SUBMITTED),
        ),
    }


def _state(model):
    return list(model.objects.order_by("pk").values())


EDIT_CASES = [
    "team_add",
    "team_remove",
    "milestone_add",
    "milestone_edit",
    "measure_add",
    "measure_edit",
    "reading_add",
    "risk_add",
    "risk_edit",
    "pid_edit",
    "pid_submit",
    "report_start",
    "report_edit",
    "report_submit",
]


@pytest.mark.parametrize("case", EDIT_CASES)
@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_only_the_lead_and_programme_manager_can_open_or_post_an_editing_page(
    client, request, case, role, lead, milestone, measure, risk, draft_report, pid
):
    user = request.getfixturevalue(role)
    url, data, model, done = _cases(milestone, measure, risk, draft_report, pid)[case]
    client.force_login(user)
    before = _state(model)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert _state(model) == before
    assert not done()


@pytest.mark.parametrize("case", EDIT_CASES)
@pytest.mark.parametrize("role", sorted(EDITORS))
def test_the_lead_and_programme_manager_can_use_every_editing_page(
    client, request, case, role, lead, milestone, measure, risk, draft_report, pid
):
    user = request.getfixturevalue(role)
    url, data, _, done = _cases(milestone, measure, risk, draft_report, pid)[case]
    client.force_login(user)
    assert client.get(url).status_code == 200
    assert not done()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert done()


@pytest.mark.parametrize("case", EDIT_CASES)
def test_anonymous_visitors_are_sent_to_sign_in(
    client, case, milestone, measure, risk, draft_report, pid
):
    url, data, model, done = _cases(milestone, measure, risk, draft_report, pid)[case]
    before = _state(model)
    for response in (client.get(url), client.post(url, data)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert _state(model) == before
    assert not done()


@pytest.mark.parametrize("case", EDIT_CASES)
def test_a_signed_in_user_with_no_role_is_refused(
    client, no_role_user, case, milestone, measure, risk, draft_report, pid
):
    url, data, model, done = _cases(milestone, measure, risk, draft_report, pid)[case]
    client.force_login(no_role_user)
    before = _state(model)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert _state(model) == before
    assert not done()


@pytest.mark.parametrize("decision", ["approve", "return"])
@pytest.mark.parametrize(
    "role",
    ["lead", "team_member", "other_lead", "board_member", "auditor", "finance_officer"],
)
def test_only_the_programme_manager_can_approve_or_return_a_pid(
    client, request, role, decision, submitted_pid
):
    client.force_login(request.getfixturevalue(role))
    url = "/themes/supervision/pid/review/"
    assert client.get(url).status_code == 403
    posted = {"decision": decision, "comments": "Redo it", "version": submitted_pid.version}
    assert client.post(url, posted).status_code == 403
    submitted_pid.refresh_from_db()
    assert submitted_pid.status == PID.Status.SUBMITTED
    assert submitted_pid.review_comments == ""
    assert not submitted_pid.theme.pid_versions.exists()


def test_the_programme_manager_can_open_and_approve_with_the_pid_review(
    client, programme_manager, submitted_pid
):
    client.force_login(programme_manager)
    url = "/themes/supervision/pid/review/"
    assert client.get(url).status_code == 200
    decision = {
        "decision": "approve",
        "comments": "",
        "version": submitted_pid.version,
        "fingerprint": pid_fingerprint(submitted_pid),
    }
    assert client.post(url, decision).status_code == 302
    submitted_pid.refresh_from_db()
    assert submitted_pid.status == PID.Status.APPROVED
    assert list(submitted_pid.theme.pid_versions.values_list("number", flat=True)) == [1]


def test_the_programme_manager_can_return_a_pid_with_comments(
    client, programme_manager, submitted_pid
):
    client.force_login(programme_manager)
    decision = {
        "decision": "return",
        "comments": "Redo it",
        "version": submitted_pid.version,
        "fingerprint": pid_fingerprint(submitted_pid),
    }
    assert client.post("/themes/supervision/pid/review/", decision).status_code == 302
    submitted_pid.refresh_from_db()
    assert submitted_pid.status == PID.Status.RETURNED
    assert submitted_pid.review_comments == "Redo it"
    assert not submitted_pid.theme.pid_versions.exists()


def test_a_pid_review_without_the_version_it_was_opened_at_changes_nothing(
    client, programme_manager, submitted_pid
):
    client.force_login(programme_manager)
    response = client.post(
        "/themes/supervision/pid/review/", {"decision": "return", "comments": "Redo it"}
    )
    assert response.status_code == 200
    assert "missing the version" in response.content.decode()
    submitted_pid.refresh_from_db()
    assert submitted_pid.status == PID.Status.SUBMITTED
    assert submitted_pid.review_comments == ""
    assert not submitted_pid.theme.pid_versions.exists()


def _pdf():
    return SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")


@pytest.mark.parametrize("role", sorted(COMMENTERS))
def test_the_team_lead_and_programme_manager_can_comment_and_add_evidence(
    client, request, role, lead, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(request.getfixturevalue(role))
    assert client.post("/themes/supervision/comments/add/", {"body": "Hi"}).status_code == 302
    assert client.get("/themes/supervision/evidence/add/").status_code == 200
    response = client.post(
        "/themes/supervision/evidence/add/", {"title": "Minutes", "file": _pdf()}
    )
    assert response.status_code == 302
    assert Comment.objects.count() == 1
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("role", REFUSED_COMMENTERS)
def test_people_outside_the_team_cannot_comment_or_add_evidence(
    client, request, role, lead, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(request.getfixturevalue(role))
    assert client.post("/themes/supervision/comments/add/", {"body": "Hi"}).status_code == 403
    assert client.get("/themes/supervision/evidence/add/").status_code == 403
    response = client.post(
        "/themes/supervision/evidence/add/", {"title": "Minutes", "file": _pdf()}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert not Evidence.objects.exists()


def test_comments_cannot_be_added_with_a_get(client, team_member):
    client.force_login(team_member)
    assert client.get("/themes/supervision/comments/add/").status_code == 405


def test_a_lead_cannot_edit_another_themes_milestone_through_their_own_theme(
    client, lead, other_theme
):
    foreign = MilestoneFactory(theme=other_theme)
    client.force_login(lead)
    url = f"/themes/supervision/milestones/{foreign.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, _milestone_post(version=1)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "A new milestone"


@pytest.mark.parametrize(
    "role",
    [
        "programme_manager",
        "lead",
        "other_lead",
        "team_member",
        "board_member",
        "auditor",
        "finance_officer",
    ],
)
def test_everyone_with_a_role_reads_every_theme_page(
    client, request, role, milestone, measure, draft_report, pid
):
    client.force_login(request.getfixturevalue(role))
    PID.objects.filter(pk=pid.pk).update(status=PID.Status.DRAFT)
    for url in [
        "/themes/",
        "/themes/supervision/",
        f"/themes/supervision/milestones/{milestone.pk}/",
        f"/themes/supervision/measures/{measure.pk}/",
        f"/themes/supervision/reports/{draft_report.pk}/",
        "/themes/supervision/pid/compare/",
    ]:
        assert client.get(url).status_code == 200, url
