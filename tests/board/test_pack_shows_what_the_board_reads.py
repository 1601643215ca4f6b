"""A focus theme's section of the pack lists what the Board reads: milestones overdue, due
before the next meeting or done since the last one, and risks scored 12 or more or escalated.
The rest are counted, with a link to the theme's own pages."""

import datetime as dt

import pytest

from havering_improve import roles
from reporting.actions import packs as pack_actions
from tests.board.factories import MeetingFactory
from tests.factories import UserFactory
from tests.themes.factories import MilestoneFactory, RiskFactory

pytestmark = pytest.mark.django_db


def test_a_focus_theme_lists_the_boards_milestones_and_risks_and_counts_the_rest(
    meeting, theme, board, django_capture_on_commit_callbacks
):
    MeetingFactory(board=board, date=meeting.date - dt.timedelta(days=42))
    MeetingFactory(board=board, date=meeting.date + dt.timedelta(days=42))
    day = meeting.date - dt.timedelta(days=14)  # the pack is built today
    for title, due, status, done in [
        ("Overdue one", day - dt.timedelta(days=5), "on_track", None),
        ("Due before the next meeting", meeting.date + dt.timedelta(days=30), "not_started", None),
        (
            "Done since the last meeting",
            day - dt.timedelta(days=40),
            "done",
            day - dt.timedelta(days=3),
        ),
        ("Done long ago", day - dt.timedelta(days=200), "done", day - dt.timedelta(days=190)),
        ("Due next year", meeting.date + dt.timedelta(days=300), "not_started", None),
        ("Due after the next meeting", meeting.date + dt.timedelta(days=50), "on_track", None),
    ]:
        MilestoneFactory(theme=theme, title=title, due_date=due, status=status, completed_on=done)
    RiskFactory(theme=theme, description="Scored sixteen", likelihood=4, impact=4)
    RiskFactory(theme=theme, description="Scored twelve", likelihood=3, impact=4)
    RiskFactory(
        theme=theme, description="Low but escalated", likelihood=1, impact=2, escalated=True
    )
    RiskFactory(theme=theme, description="Low at six", likelihood=2, impact=3)
    RiskFactory(theme=theme, description="Scored nine", likelihood=3, impact=3)
    RiskFactory(theme=theme, description="Closed and high", likelihood=5, impact=5, status="closed")

    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_actions.pack_request(
            meeting=meeting, actor=UserFactory(roles=[roles.PROGRAMME_MANAGER])
        )
    pack.refresh_from_db()
    focus = next(f for f in pack.snapshot["focus"] if f["title"] == theme.title)
    assert [m["title"] for m in focus["milestones"]] == [
        "Done since the last meeting",
        "Overdue one",
        "Due before the next meeting",
    ]
    assert focus["milestones_rest"] == 3
    assert [r["description"] for r in focus["risks"]] == [
        "Low but escalated",
        "Scored sixteen",
        "Scored twelve",
    ]
    assert focus["risks_rest"] == 2

    html = pack.html.open("rb").read().decode()
    overview = html[html.index('id="pack-overview"') : html.index('id="pack-focus-')]
    # Its escalated risk is counted in the overview, and listed in its own section.
    assert "Low but escalated" not in overview
    assert f"1 escalated risk or issue, listed under Focus theme: {theme.title}." in overview
    section = html[html.index(f"Focus theme: {theme.title}</h2>") :]
    section = section[: section.index("</section>")]
    assert "Due next year" not in section and "Low at six" not in section
    assert "3 other milestones" in section
    assert f'href="http://testserver/themes/{theme.slug}/milestones/"' in section or (
        f"/themes/{theme.slug}/milestones/" in section
    )
    assert "2 other open risks or issues, scored under 12" in section
    assert f"/themes/{theme.slug}/risks/" in section


def test_the_overview_lists_a_quiet_themes_latest_overdue_milestones_and_counts_the_rest(
    meeting, board, django_capture_on_commit_callbacks
):
    quiet = board.programme.themes.get(slug="adolescent-safeguarding")
    for n in range(1, 8):
        MilestoneFactory(theme=quiet, title=f"Step {n}", due_date=dt.date(2026, n, 9))
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_actions.pack_request(
            meeting=meeting, actor=UserFactory(roles=[roles.PROGRAMME_MANAGER])
        )
    pack.refresh_from_db()
    html = pack.html.open("rb").read().decode()
    overview = html[html.index('id="pack-overview"') : html.index('id="pack-focus-')]
    assert "Adolescent Safeguarding (7)" in overview
    assert "Step 1<" not in overview and "Step 2<" not in overview
    assert all(f"Step {n}<" in overview for n in range(3, 8))
    assert "The latest 5 are listed; 2 more fell due earlier" in overview
    assert f"/themes/{quiet.slug}/milestones/" in overview
