"""Milestones, measures, readings and risks: what the lead can record, what is refused and how."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from themes import selectors
from themes.models import Measure, Milestone, Risk

from .factories import MeasureFactory, MeasureReadingFactory, MilestoneFactory, date_fields
from .test_permissions import _measure_post, _milestone_post, _risk_post

pytestmark = pytest.mark.django_db


def test_a_lead_adds_a_milestone_and_sees_it_on_the_milestones_tab(client, lead, theme):
    client.force_login(lead)
    response = client.post("/themes/supervision/milestones/add/", _milestone_post())
    assert response["Location"] == "/themes/supervision/milestones/"
    milestone = Milestone.objects.get(theme=theme)
    assert milestone.history.first().history_user == lead
    assert "A new milestone" in client.get("/themes/supervision/milestones/").content.decode()


def test_an_empty_post_is_refused_with_the_error_summary_not_shown_as_a_blank_form(
    client, lead, theme
):
    client.force_login(lead)
    response = client.post("/themes/supervision/milestones/add/", {})
    assert "govuk-error-summary" in response.content.decode()
    assert not Milestone.objects.filter(theme=theme).exists()


def test_marking_a_milestone_done_without_a_date_records_today(client, lead, milestone):
    client.force_login(lead)
    client.post(
        f"/themes/supervision/milestones/{milestone.pk}/edit/",
        _milestone_post(status="done", version=milestone.version),
    )
    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert milestone.completed_on == dt.date(2026, 11, 26)


def test_an_overdue_milestone_stands_out_on_the_theme_page_and_the_dashboard(
    client, board_member, theme
):
    MilestoneFactory(theme=theme, title="Late one", due_date=dt.date(2026, 10, 1))
    MilestoneFactory(theme=theme, title="Done late", due_date=dt.date(2026, 10, 1), status="done")
    client.force_login(board_member)
    page = client.get("/themes/supervision/milestones/").content.decode()
    assert "1 milestone overdue" in page
    assert "Overdue</strong>" in page
    home = client.get("/themes/").content.decode()
    assert '<span class="app-overdue">1 overdue</span>' in home
    assert [m.title for m in selectors.overdue_milestones(theme=theme)] == ["Late one"]


def test_a_target_date_before_the_baseline_date_is_refused_on_the_field(client, lead):
    client.force_login(lead)
    data = _measure_post(**date_fields("target_date", dt.date(2025, 12, 1)))
    response = client.post("/themes/supervision/measures/add/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert html.count("The target date must be after the baseline date") == 2  # summary + field
    assert not Measure.objects.exists()


def test_a_likelihood_of_7_is_refused_on_the_field(client, lead):
    client.force_login(lead)
    response = client.post("/themes/supervision/risks/add/", _risk_post(likelihood="7"))
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert html.count("Likelihood must be a whole number from 1 to 5") == 2
    assert not Risk.objects.exists()


def test_a_risk_can_be_escalated_to_the_programme_and_shows_its_score(client, lead, theme):
    client.force_login(lead)
    client.post(
        "/themes/supervision/risks/add/",
        _risk_post(likelihood="4", impact="5", escalated="on", description="Agency staff leave"),
    )
    risk = Risk.objects.get()
    assert risk.escalated and risk.score == 20
    html = client.get("/themes/supervision/risks/").content.decode()
    assert "Escalated to programme" in html
    assert 'govuk-tag--red">20<' in html


def test_a_lead_records_a_reading_and_the_chart_and_table_show_it(client, lead, measure):
    client.force_login(lead)
    response = client.post(
        f"/themes/supervision/measures/{measure.pk}/readings/add/",
        {
            "value": "62.5",
            "source": "Audit",
            "note": "",
            **date_fields("date", dt.date(2026, 11, 1)),
        },
    )
    assert response.status_code == 302
    reading = measure.readings.get()
    assert (reading.value, reading.date, reading.recorded_by) == (
        Decimal("62.5"),
        dt.date(2026, 11, 1),
        lead,
    )
    html = client.get(f"/themes/supervision/measures/{measure.pk}/").content.decode()
    assert "62.5%" in html
    assert "data:image/svg" not in html  # the chart is at its own address
    assert re.search(
        r"<img class=\"app-chart\" src=\"/themes/supervision/measures/\d+/chart/", html
    )
    assert "1 reading from 62.5% on 1 November 2026" in html  # the text alternative


@pytest.mark.parametrize(
    ("value", "date", "message"),
    [
        ("62", dt.date(2026, 12, 25), "The date of a reading cannot be in the future"),
        ("140", dt.date(2026, 11, 1), "A percentage must be between 0 and 100"),
    ],
    ids=["in the future", "a percentage over 100"],
)
def test_a_reading_that_makes_no_sense_is_refused_with_why(
    client, lead, measure, value, date, message
):
    client.force_login(lead)
    response = client.post(
        f"/themes/supervision/measures/{measure.pk}/readings/add/",
        {"value": value, "source": "", "note": "", **date_fields("date", date)},
    )
    assert message in response.content.decode()
    assert not measure.readings.exists()


class TestMeasureStatus:
    """Baseline 40% on 1 Jan 2026, target 80% by 1 Jan 2027, higher is better: halfway through
    the year the straight line expects about 60%."""

    def status(self, theme, value, on, **kwargs):
        measure = MeasureFactory(theme=theme, **kwargs)
        MeasureReadingFactory(measure=measure, value=Decimal(value), date=on)
        return selectors.measure_status(measure)

    def test_at_or_above_the_line_is_on_track(self, theme):
        assert self.status(theme, "62", dt.date(2026, 7, 2)).key == "on_track"

    def test_below_the_line_is_off_track(self, theme):
        status = self.status(theme, "50", dt.date(2026, 7, 2))
        assert status.key == "off_track" and status.on_track is False

    def test_reaching_the_target_early_is_target_met(self, theme):
        assert self.status(theme, "81", dt.date(2026, 3, 1)).key == "met"

    def test_short_of_the_target_after_its_date_is_target_missed(self, theme):
        assert self.status(theme, "70", dt.date(2027, 1, 5)).key == "missed"

    def test_lower_is_better_measures_go_the_other_way(self, theme):
        kwargs = {
            "unit": "days",
            "direction": "lower",
            "baseline_value": Decimal("40"),
            "target_value": Decimal("20"),
        }
        assert self.status(theme, "28", dt.date(2026, 7, 2), **kwargs).key == "on_track"
        assert self.status(theme, "35", dt.date(2026, 7, 2), **kwargs).key == "off_track"

    def test_a_measure_without_readings_says_so(self, theme):
        measure = MeasureFactory(theme=theme)
        assert selectors.measure_status(measure).key == "no_data"


def test_a_lead_adds_a_partner_to_the_team_and_they_show_by_organisation(client, lead, theme):
    from havering_improve import roles
    from tests.factories import UserFactory

    officer = UserFactory(
        username="pc.jones", first_name="Dee", last_name="Jones", roles=[roles.TEAM_MEMBER]
    )
    client.force_login(lead)
    response = client.post(
        "/themes/supervision/team/add/",
        {"member": officer.pk, "kind": "partner", "organisation": "Police: MASH"},
    )
    assert response["Location"] == "/themes/supervision/"
    assert theme.memberships.get(user=officer).organisation == "Police: MASH"
    html = client.get("/themes/supervision/").content.decode()
    assert "Police: MASH" in html and "Dee Jones" in html
    # A partner needs their organisation.
    other = UserFactory(username="nurse", roles=[roles.TEAM_MEMBER])
    html = client.post(
        "/themes/supervision/team/add/", {"member": other.pk, "kind": "partner"}
    ).content.decode()
    assert "Say which organisation the partner represents" in html
    assert not theme.memberships.filter(user=other).exists()


def test_removing_a_team_member_asks_first_and_stops_their_comments(
    client, lead, team_member, theme
):
    membership = theme.memberships.get(user=team_member)
    client.force_login(lead)
    url = f"/themes/supervision/team/{membership.pk}/remove/"
    assert "Remove from the team" in client.get(url).content.decode()
    assert theme.memberships.filter(pk=membership.pk).exists()  # nothing happens on GET
    client.post(url)
    assert not theme.memberships.filter(user=team_member).exists()
    client.force_login(team_member)
    assert client.post("/themes/supervision/comments/add/", {"body": "x"}).status_code == 403
