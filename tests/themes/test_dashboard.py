"""The programme dashboard at / and /themes/, and the theme page: what they show and that their
query counts do not grow with the programme."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from themes.models import TeamMembership

from .factories import (
    HighlightReportFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_each_themes_current_and_last_rag_and_missing_reports(
    client, board_member, theme, other_theme
):
    HighlightReportFactory(
        theme=theme, period=dt.date(2026, 10, 1), status="submitted", overall_rag="red"
    )
    HighlightReportFactory(
        theme=theme, period=dt.date(2026, 11, 1), status="submitted", overall_rag="amber"
    )
    HighlightReportFactory(theme=other_theme, period=dt.date(2026, 11, 1), status="draft")
    client.force_login(board_member)
    html = client.get("/themes/").content.decode()
    grid = html[html.index('id="theme-grid"') : html.index("</table>", html.index("theme-grid"))]
    row = grid[grid.index("Supervision") : grid.index("</tr>", grid.index("Supervision"))]
    assert 'govuk-tag--orange">Amber' in row and "November 2026" in row
    assert 'govuk-tag--red">Red' in row and "October 2026" in row
    # On 26 November the report being asked for is November's, due that day.
    assert "Submitted" in row
    qa_row = grid[grid.index("Quality Assurance") : grid.index("</tr>", grid.index("Quality A"))]
    assert "Draft" in qa_row
    summary = "6 of 7 themes have not submitted their November 2026 report (due 26 November 2026)"
    assert summary in html


def test_the_dashboard_counts_measures_on_and_off_track_and_names_the_next_milestone(
    client, board_member, theme
):
    on = MeasureFactory(theme=theme)
    off = MeasureFactory(theme=theme)
    MeasureReadingFactory(measure=on, value=Decimal("79"), date=dt.date(2026, 11, 1))
    MeasureReadingFactory(measure=off, value=Decimal("41"), date=dt.date(2026, 11, 1))
    MilestoneFactory(theme=theme, title="Next one", due_date=dt.date(2026, 12, 3))
    MilestoneFactory(theme=theme, title="Later one", due_date=dt.date(2027, 3, 3))
    client.force_login(board_member)
    html = client.get("/themes/").content.decode()
    assert '1 on track, <span class="app-overdue">1 off track</span>' in html
    assert 'Next one<br><span class="govuk-body-s">due 3 December 2026' in html


def _grow(programme, start, n):
    """Add n of everything the pages show to every theme (months start to start + n - 1)."""
    for t in programme.themes.all():
        for i in range(start - 1, start - 1 + n):
            measure = MeasureFactory(theme=t)
            for month in range(1, 6):
                MeasureReadingFactory(measure=measure, date=dt.date(2026, month, 1))
            MilestoneFactory(theme=t, due_date=dt.date(2026, 1 + i, 1))
            RiskFactory(theme=t)
            HighlightReportFactory(theme=t, period=dt.date(2026, 1 + i, 1), status="submitted")


def _team(theme, n):
    from tests.factories import UserFactory

    start = TeamMembership.objects.filter(theme=theme).count()
    for i in range(start, start + n):
        TeamMembership.objects.create(theme=theme, user=UserFactory(username=f"tm-{i}"))


THEME_PARTS = [
    "milestones",
    "measures",
    "risks",
    "reports",
    "discussion",
    "cost",
    "evaluation-evidence",
    "board",
    "history",
]


@pytest.mark.parametrize(
    "path",
    ["/", "/themes/", "/themes/supervision/", *[f"/themes/supervision/{p}/" for p in THEME_PARTS]],
)
def test_page_query_counts_stay_the_same_as_the_programme_grows(
    client, programme_manager, programme, theme, path, django_assert_num_queries
):
    client.force_login(programme_manager)
    # The small programme holds one of each kind of record the large one holds more of.
    _grow(programme, 1, 1)
    _team(theme, 1)
    client.get(path)  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    _grow(programme, 2, 3)
    _team(theme, 4)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200


def test_the_theme_page_shows_the_tabs_other_apps_register(client, board_member, monkeypatch):
    from themes import tabs

    monkeypatch.setattr(tabs, "_TABS", {})
    tabs.register_tab(
        key="cost",
        label="Cost",
        template="themes/my_themes.html",
        context=lambda request, theme: {"themes": [theme]},
        order=60,
    )
    client.force_login(board_member)
    html = client.get("/themes/supervision/").content.decode()
    assert '<a class="govuk-tabs__tab" href="/themes/supervision/cost/">Cost</a>' in html
    html = client.get("/themes/supervision/cost/").content.decode()
    assert 'aria-current="page">Cost</a>' in html
    assert 'id="cost"' in html and "Supervision" in html


@pytest.mark.parametrize("part", THEME_PARTS)
def test_every_part_of_a_theme_opens_for_every_role_and_is_marked_current(
    client, any_role_user, theme, part
):
    client.force_login(any_role_user)
    html = client.get(f"/themes/supervision/{part}/").content.decode()
    assert f'href="/themes/supervision/{part}/" aria-current="page"' in html
    assert html.count('aria-current="page"') == 2  # the service navigation's Themes, and this part


def test_a_theme_has_no_part_by_a_name_nobody_registered(client, board_member):
    client.force_login(board_member)
    assert client.get("/themes/supervision/nonsense/").status_code == 404


def test_a_lead_gets_a_my_theme_link_that_opens_their_theme(client, lead):
    client.force_login(lead)
    html = client.get("/").content.decode()
    assert 'href="/themes/mine/"' in html
    assert client.get("/themes/mine/")["Location"] == "/themes/supervision/"


def test_a_board_member_has_no_my_theme_link(client, board_member):
    client.force_login(board_member)
    assert 'href="/themes/mine/"' not in client.get("/").content.decode()


def test_the_measures_part_tables_the_latest_readings_and_links_to_all_of_them(
    client, board_member, theme
):
    measure = MeasureFactory(theme=theme, name="Supervisions on time")
    start = dt.date(2026, 1, 5)
    for week in range(20):
        MeasureReadingFactory(
            measure=measure, date=start + dt.timedelta(weeks=week), value=50 + week
        )
    client.force_login(board_member)
    html = client.get("/themes/supervision/measures/").content.decode()
    assert "The latest 12 readings" in html
    assert f'href="{measure.get_absolute_url()}">All 20 readings' in html
    assert "5 January 2026" not in html.split("The latest 12 readings", 1)[1]  # the oldest
    assert "18 May 2026" in html  # the newest
    assert "5 January 2026" in client.get(measure.get_absolute_url()).content.decode()


def test_a_measures_own_page_lists_a_year_of_readings_a_page_newest_first(
    client, board_member, theme
):
    measure = MeasureFactory(theme=theme, name="Supervisions on time")
    start = dt.date(2025, 1, 6)
    for week in range(60):
        MeasureReadingFactory(measure=measure, date=start + dt.timedelta(weeks=week), value=50)
    client.force_login(board_member)
    first = client.get(measure.get_absolute_url()).content.decode()
    assert "60 readings, newest first." in first
    assert "23 February 2026" in first  # the newest
    assert "6 January 2025" not in first.split("Readings for", 1)[1]  # the oldest, on page 2
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get(measure.get_absolute_url() + "?page=2").content.decode()
    assert "6 January 2025" in second.split("Readings for", 1)[1]
    for beyond in ("3", "0", "-1", "99999999999999999999999"):
        assert client.get(measure.get_absolute_url() + f"?page={beyond}").status_code == 404
