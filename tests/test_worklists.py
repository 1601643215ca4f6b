"""Each person's home page lists what needs them, one list per role they hold, in a fixed number
of queries whatever the programme holds (pinned at two data sizes for every role)."""

import datetime as dt

import pytest
from django.utils import timezone

from board.models import Board, Meeting, RotaRun, RotaSlot
from budget.actions import imports as import_actions
from budget.demo import demo_setup
from budget.models import AllocationSettings
from havering_improve import roles
from reporting.models import MeetingPack
from tests.board.factories import ActionFactory
from tests.budget.conftest import csv_of, row, upload
from tests.evaluation.factories import ActivityFactory, FindingFactory
from tests.themes.factories import (
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    RiskFactory,
)
from themes import selectors
from themes.models import PID, Theme

pytestmark = pytest.mark.django_db


def _today():
    return selectors.today()


def _month(day):
    return f"{day:%B %Y}"


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _meeting(programme, days_ahead=20, themes=()):
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=_today() + dt.timedelta(days=days_ahead))
    for theme in themes:
        RotaSlot.objects.create(meeting=meeting, theme=theme)
    return meeting


def _lead_data(theme, other_theme, lead, n=1):
    today = _today()
    for i in range(n):
        measure = MeasureFactory(theme=theme, name=f"Supervisions on time {i}")
        MeasureReadingFactory(measure=measure, date=today - dt.timedelta(days=70))
        MilestoneFactory(
            theme=theme,
            title=f"Late milestone {i}",
            due_date=today.replace(day=1) - dt.timedelta(days=3),
        )
        RiskFactory(
            theme=theme,
            description=f"Agency cover ends {i}",
            review_date=today - dt.timedelta(days=5),
        )
        ActionFactory(
            meeting=_meeting(theme.programme, 40 + i + 10 * n),
            owner=lead,
            description=f"Bring the audit results {i}",
        )
        MilestoneFactory(
            theme=other_theme, title=f"Someone else's {i}", due_date=today - dt.timedelta(days=3)
        )


# --- Project lead -----------------------------------------------------------------------------


def test_a_lead_sees_their_themes_work(client, lead, theme, other_theme, programme):
    _lead_data(theme, other_theme, lead)
    meeting = _meeting(programme, 20, [theme])
    html = _home(client, lead)
    period = _today().replace(day=1)
    assert "Your theme: Supervision" in html
    assert f"Start the {_month(period)} highlight report" in html
    assert f"Due 26 {_month(period)}" in html
    previous = selectors.previous_period(period)
    assert f"Submit the {_month(previous)} highlight report" in html and "Late" in html
    assert "Record a reading: Supervisions on time 0" in html
    assert f"none for {_month(previous)}" in html
    assert "Late milestone 0" in html and "Overdue" in html
    assert "Review the risk: Agency cover ends 0" in html
    assert "Your board actions" in html and "Bring the audit results 0" in html
    assert f"In focus at the Improvement Board on {meeting.date.day} " in html
    deadline = meeting.date - dt.timedelta(days=7)
    assert f"due for its pack by {deadline.day} {deadline:%B %Y}" in html
    assert "Someone else" not in html  # another theme's milestones are not theirs
    assert "Programme manager" not in html


def test_a_lead_whose_report_is_submitted_and_readings_recorded_sees_them_done(client, lead, theme):
    from tests.themes.factories import HighlightReportFactory

    period = _today().replace(day=1)
    for month in (selectors.previous_period(period), period):
        HighlightReportFactory(
            theme=theme, period=month, status="submitted", submitted_at=timezone.now()
        )
    measure = MeasureFactory(theme=theme, name="Supervisions on time")
    MeasureReadingFactory(measure=measure, date=period - dt.timedelta(days=1))
    html = _home(client, lead)
    assert f"The {_month(period)} highlight report" in html
    assert "Submitted" in html
    assert "Record a reading" not in html and "Late" not in html


# --- Programme manager ------------------------------------------------------------------------


def _pm_data(programme, theme, n=1):
    today = _today()
    pid, _ = PID.objects.get_or_create(theme=theme)
    PID.objects.filter(pk=pid.pk).update(status=PID.Status.SUBMITTED, submitted_at=timezone.now())
    for i in range(n):
        RiskFactory(
            theme=theme,
            description=f"Recruitment to the QA posts slips {i}",
            escalated=True,
            review_date=today + dt.timedelta(days=10),
        )
        activity = ActivityFactory(programme=programme, title=f"Practice week {i}")
        FindingFactory(activity=activity, title=f"Plans lack timescales {i}")
    RotaRun.objects.create(board=Board.objects.get(slug="improvement-board"))


def test_the_programme_manager_sees_what_waits_for_them(
    client, programme_manager, programme, theme
):
    _pm_data(programme, theme)
    _meeting(programme, 5, [theme])
    html = _home(client, programme_manager)
    previous = selectors.previous_period(_today().replace(day=1))
    assert "Approve or return the PID for Supervision" in html
    assert f"{_month(previous)} highlight report: Supervision" in html and "Late" in html
    assert "Escalated risk: Recruitment to the QA posts slips 0" in html
    assert "Respond to the finding: Plans lack timescales 0" in html
    assert "Pack for the Improvement Board on" in html
    assert "To build, with warnings" in html and "no report yet from Supervision" in html
    assert "Rota changes waiting to be worked out" in html
    assert 'href="/themes/"' in html  # the programme dashboard, one click away


def test_a_built_pack_shows_as_ready_to_publish(client, programme_manager, programme, theme):
    from tests.themes.factories import HighlightReportFactory

    meeting = _meeting(programme, 5, [theme])
    period = _today().replace(day=1)
    for month in (selectors.previous_period(period), period):
        HighlightReportFactory(theme=theme, period=month, status="submitted")
    MeetingPack.objects.create(meeting=meeting, status=MeetingPack.Status.READY)
    html = _home(client, programme_manager)
    assert "Ready to publish" in html
    assert "with warnings" not in html


# --- Finance officer --------------------------------------------------------------------------


def _finance_data(programme, user, n=1):
    allocation = programme.allocations.get(start_year=2019)
    if not AllocationSettings.objects.filter(allocation=allocation).exclude(cost_centres=""):
        demo_setup(allocation=allocation, user=user)  # the cost centre and matching rules
    rows = [
        row(ref=f"AP{n}-{i}", subjective="4800", period="1", date="15/04/2019") for i in range(n)
    ]
    batch = upload(allocation, user, csv_of(*rows))
    assert not batch.errors, batch.errors
    import_actions.ledger_import_confirm(batch=batch, actor=user)
    return allocation


def test_the_finance_officer_sees_the_queue_the_next_close_and_the_last_import(
    client, finance_officer, programme
):
    _finance_data(programme, finance_officer, n=2)
    html = _home(client, finance_officer)
    assert "Allocate the rows waiting in the queue" in html
    assert "2 ledger rows matched no budget line" in html
    assert "Close period 1 (April 2019)" in html
    assert "Rows still queued" in html and "First allocate its 2 queued rows" in html
    assert "Last import: extract.csv" in html and "Imported" in html


def test_with_nothing_queued_the_next_period_is_ready_to_close(client, finance_officer):
    html = _home(client, finance_officer)
    assert "Close period 1 (April 2019)" in html
    assert "Its month has ended and its rows are allocated" in html
    assert "Allocate the rows" not in html


# --- Board member -----------------------------------------------------------------------------


def test_a_board_member_sees_the_next_meeting_its_focus_its_pack_and_their_actions(
    client, board_member, programme, theme, other_theme
):
    meeting = _meeting(programme, 12, [theme, other_theme])
    MeetingPack.objects.create(
        meeting=meeting, status=MeetingPack.Status.PUBLISHED, published_at=timezone.now()
    )
    ActionFactory(
        meeting=_meeting(programme, -30),
        owner=board_member,
        description="Ask health partners about the passport",
    )
    html = _home(client, board_member)
    assert f"Children&#x27;s Services Improvement Board, {meeting.date.day} " in html
    assert "Themes in focus: Supervision, Quality Assurance" in html
    assert "Read the meeting pack" in html and "Ready to read" in html
    assert "Ask health partners about the passport" in html


# --- Auditor ----------------------------------------------------------------------------------


def test_the_auditor_sees_recent_changes_with_links_to_their_history(client, auditor, theme):
    milestone = MilestoneFactory(theme=theme, title="Supervision policy refreshed")
    milestone.title = "Supervision policy refreshed and signed off"
    milestone.save()
    html = _home(client, auditor)
    assert "Recent changes" in html
    assert "Supervision: Milestone “Supervision policy refreshed and signed off” changed" in html
    assert 'href="/themes/supervision/history/"' in html


# --- Several roles, no role -------------------------------------------------------------------


def test_someone_holding_several_roles_sees_each_list(client, lead, programme, theme):
    from django.contrib.auth.models import Group

    lead.groups.add(Group.objects.get(name=roles.FINANCE_OFFICER))
    lead.groups.add(Group.objects.get(name=roles.BOARD_MEMBER))
    ActionFactory(meeting=_meeting(programme, -30), owner=lead, description="Report back")
    html = _home(client, lead)
    assert "Your theme: Supervision" in html
    assert "Close period 1" in html
    assert "The next board meeting" in html
    assert html.count('id="actions"') == 1  # their actions once, not once per role


def test_a_team_member_is_pointed_to_the_dashboard(client, team_member):
    html = _home(client, team_member)
    assert "the programme dashboard shows how every theme is doing" in html


# --- Query counts, at two data sizes ----------------------------------------------------------


def _grow(programme, theme, other_theme, user, n):
    _lead_data(theme, other_theme, user, n=n)
    _pm_data(programme, theme, n=n)
    _meeting(programme, 10 + n, [theme, other_theme])
    for i in range(n):
        Theme.objects.create(
            programme=programme,
            number=50 + i + n * 10,
            slug=f"extra-{n}-{i}",
            title=f"Extra {i}",
            lead=user,
        )
    if roles.has_role(user, roles.FINANCE_OFFICER):
        _finance_data(programme, user, n=n)


# Session, user and roles, the programme, then each list's own reads.
QUERIES = {
    "lead": 40,
    "programme_manager": 40,
    "finance_officer": 40,
    "board_member": 40,
    "auditor": 40,
}


@pytest.mark.parametrize(
    "role_fixture",
    ["lead", "programme_manager", "finance_officer", "board_member", "auditor"],
)
def test_each_roles_home_runs_the_same_number_of_queries_at_two_data_sizes(
    client,
    request,
    programme,
    theme,
    other_theme,
    role_fixture,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    _grow(programme, theme, other_theme, user, 1)
    client.get("/")  # the session, warmed
    with django_assert_max_num_queries(QUERIES[role_fixture]) as small:
        client.get("/")
    _grow(programme, theme, other_theme, user, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/")
    assert response.status_code == 200
