"""A PID's decision reaches whoever must act next, and is bound to what the programme manager
read: submitted, the programme managers are told; returned or approved, the lead is, on their
home page and by e-mail with a link to the PID. An approval or return of a PID that changed
after the review page was opened is refused, and the new PID shown."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from havering_improve import roles
from tests.factories import UserFactory
from themes import selectors
from themes.actions.pid import (
    pid_approve,
    pid_fingerprint,
    pid_notify,
    pid_return,
    pid_submit,
    pid_update,
)
from themes.actions.records import milestone_update
from themes.models import PID, PIDVersion, Risk

from .factories import MilestoneFactory, RiskFactory

REVIEW = "/themes/supervision/pid/review/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://improve.havering.example"


@pytest.fixture
def submitted(lead, theme, programme_manager, django_capture_on_commit_callbacks):
    pid = selectors.pid_for_reading(theme)
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="Better supervision")
    with django_capture_on_commit_callbacks(execute=True):
        pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    return pid


def _home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def _decide(client, pid, page_html, **fields):
    """Post the review form as the page sent it: its version and fingerprint."""
    import re

    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page_html).group(1)
    return client.post(
        REVIEW, {"version": pid.version, "fingerprint": fingerprint, "comments": "", **fields}
    )


# --- Who is told -------------------------------------------------------------------------------


def test_a_submitted_pid_reaches_the_programme_managers_home_and_inbox(
    client, submitted, programme_manager
):
    assert [m.to for m in mail.outbox] == [[programme_manager.email]]
    message = mail.outbox[0]
    assert message.subject == "Supervision: the PID is waiting for your approval"
    assert "https://improve.havering.example/themes/supervision/pid/review/" in message.body
    assert "changed since" not in message.body  # a first approval has nothing to compare
    html = _home(client, programme_manager)
    assert "Approve or return the PID for Supervision" in html
    assert 'href="/themes/supervision/pid/review/"' in html


def test_a_returned_pid_reaches_the_leads_home_and_inbox(
    client, submitted, lead, programme_manager, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(programme_manager)
    page = client.get(REVIEW).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(
            client, submitted, page, decision="return", comments="Add the police as a partner"
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[lead.email]]
    message = mail.outbox[0]
    assert message.subject == "Supervision: your PID was returned with comments"
    assert "Add the police as a partner" in message.body
    assert "https://improve.havering.example/themes/supervision/" in message.body
    html = _home(client, lead)
    assert "PID returned with comments: revise and resubmit" in html
    assert "Add the police as a partner" in html
    assert 'href="/themes/supervision/"' in html
    # The link opens the PID with the comments and the way to revise it.
    page = client.get("/themes/supervision/").content.decode()
    assert "Add the police as a partner" in page and "/themes/supervision/pid/edit/" in page
    edit = client.get("/themes/supervision/pid/edit/")
    assert edit.status_code == 200 and "Add the police as a partner" in edit.content.decode()


def test_an_approved_pid_reaches_the_leads_home_and_inbox_for_two_weeks(
    client, submitted, lead, programme_manager, django_capture_on_commit_callbacks
):
    from freezegun import freeze_time

    mail.outbox.clear()
    client.force_login(programme_manager)
    page = client.get(REVIEW).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, submitted, page, decision="approve", comments="Good work")
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert mail.outbox[0].subject == "Supervision: your PID is approved (version 1)"
    assert "Good work" in mail.outbox[0].body
    html = _home(client, lead)
    assert "PID approved: version 1" in html
    assert 'href="/themes/supervision/pid/versions/1/"' in html
    assert "PID returned" not in html
    with freeze_time("2026-12-20 10:00:00"):
        assert "PID approved" not in _home(client, lead)


def test_a_lead_whose_pid_waits_sees_it_waiting_and_nobody_else_is_mailed(
    client, submitted, lead, other_lead, programme_manager
):
    assert "PID submitted for approval" in _home(client, lead)
    assert all(lead.email not in m.to and other_lead.email not in m.to for m in mail.outbox)


def test_every_programme_manager_with_an_address_is_told_of_a_submitted_pid(
    lead, theme, programme_manager, django_capture_on_commit_callbacks
):
    UserFactory(username="pm2", roles=[roles.PROGRAMME_MANAGER])
    UserFactory(username="pm3", email="", roles=[roles.PROGRAMME_MANAGER])
    pid = selectors.pid_for_reading(theme)
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="Aims")
    with django_capture_on_commit_callbacks(execute=True):
        pid_submit(pid=pid, actor=lead, version=pid.version)
    assert sorted(m.to[0] for m in mail.outbox) == ["pm2@havering.example", "pm@havering.example"]


def test_a_notice_of_a_state_that_has_passed_is_not_sent(submitted, programme_manager):
    """A task delivered late, after the PID moved on, tells no one of what is no longer so."""
    mail.outbox.clear()
    pid_return(
        pid=submitted,
        actor=programme_manager,
        version=submitted.version,
        fingerprint=pid_fingerprint(submitted),
        comments="Redo it",
    )
    assert pid_notify(pid_id=submitted.pk, event="submitted", version=submitted.version) == 0
    assert mail.outbox == []


# --- Bound to what was read --------------------------------------------------------------------


def test_an_approval_after_the_lead_renamed_a_milestone_is_refused_and_the_new_pid_shown(
    client, submitted, lead, programme_manager, theme
):
    milestone = MilestoneFactory(theme=theme, title="Audit supervision files")
    client.force_login(programme_manager)
    page = client.get(REVIEW).content.decode()
    assert "Audit supervision files" in page
    # The lead renames it while the programme manager reads.
    milestone_update(
        milestone=milestone,
        actor=lead,
        version=milestone.version,
        title="Audit nothing",
        owner=milestone.owner,
        due_date=milestone.due_date,
        status=milestone.status,
        completed_on=None,
    )
    response = _decide(client, submitted, page, decision="approve")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The PID changed after you opened this page" in html
    assert "Audit nothing" in html  # the PID as it is now
    assert not PIDVersion.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == PID.Status.SUBMITTED
    # Decided again on what the page now shows, it goes through, with the rename.
    response = _decide(client, submitted, html, decision="approve")
    assert response.status_code == 302
    titles = [m["title"] for m in PIDVersion.objects.get().snapshot["milestones"]]
    assert titles == ["Audit nothing"]


def test_a_return_after_the_pid_changed_is_refused(client, submitted, programme_manager, theme):
    client.force_login(programme_manager)
    page = client.get(REVIEW).content.decode()
    MilestoneFactory(theme=theme, title="A milestone added since")
    response = _decide(client, submitted, page, decision="return", comments="Redo it")
    assert "The PID changed after you opened this page" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == PID.Status.SUBMITTED and submitted.review_comments == ""


@pytest.mark.parametrize("change", ["mitigation", "team"])
def test_the_action_itself_refuses_a_fingerprint_of_another_pid(
    submitted, programme_manager, lead, theme, change
):
    risk = RiskFactory(theme=theme, mitigation="Agency cover")
    seen = pid_fingerprint(submitted)
    if change == "mitigation":  # not a line of the diff, but frozen with the approval
        Risk.objects.filter(pk=risk.pk).update(mitigation="None")
    else:
        from themes.models import TeamMembership

        TeamMembership.objects.create(theme=theme, user=UserFactory(username="newcomer"))
    with pytest.raises(ValidationError, match="changed after you opened"):
        pid_approve(
            pid=submitted, actor=programme_manager, version=submitted.version, fingerprint=seen
        )
    with pytest.raises(ValidationError, match="changed after you opened"):
        pid_approve(
            pid=submitted, actor=programme_manager, version=submitted.version, fingerprint=""
        )
    assert not PIDVersion.objects.exists()


def test_a_first_review_shows_everything_the_approval_freezes(
    client, submitted, programme_manager, theme
):
    MilestoneFactory(theme=theme, title="Audit supervision files")
    client.force_login(programme_manager)
    html = client.get(REVIEW).content.decode()
    for heading in ("Measures of success", "Milestones", "Risks and issues", "Team"):
        assert heading in html
    assert "Audit supervision files" in html
