"""A new highlight report starts from the theme's live data, never copied forward from last
month's: cost as the budget report rates the theme's share of the forecast (its thresholds,
its figures), time from milestones, benefits from measures and risk from open risks, each with
a reason quoting the facts; what the data cannot say is left blank for the lead."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from budget.models import AllocationSettings, BudgetAllocation, LineMonth
from budget.selectors import equal_profile, theme_spend
from themes.actions.reports import highlight_report_start
from themes.models import HighlightReport

from .factories import (
    HighlightReportFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db


def _forecast_everything_at(programme, share: str) -> None:
    """Every line of the year forecast at `share` of its budget (0.6: 40% under)."""
    allocation = BudgetAllocation.objects.get(programme=programme)
    for line in allocation.lines.all():
        for period, profile in equal_profile(line.amount).items():
            LineMonth.objects.create(
                line=line,
                period=period,
                profile=profile,
                forecast=(profile * Decimal(share)).quantize(Decimal("0.01")),
            )


def _start(theme, lead) -> HighlightReport:
    return highlight_report_start(theme=theme, period=dt.date(2026, 11, 1), actor=lead)


def test_a_theme_forecasting_40_percent_under_starts_with_cost_red_quoting_the_figures(
    programme, theme, lead
):
    _forecast_everything_at(programme, "0.6")
    mine = next(s for s in theme_spend(programme) if s.theme == theme)
    assert mine.rag == "red"  # as the budget's own reading of the theme's share says
    report = _start(theme, lead)
    assert report.cost_rag == "red"
    under = mine.budget - mine.forecast_outturn
    assert report.cost_reason.startswith(
        f"Forecast £{under:,.0f} under the theme's allocation of £{mine.budget:,.0f} (−40.0%)"
    )
    assert "over 2% amber and over 5% red" in report.cost_reason


def test_the_cost_rating_follows_the_years_thresholds_not_a_copy_of_them(programme, theme, lead):
    _forecast_everything_at(programme, "0.6")
    allocation = BudgetAllocation.objects.get(programme=programme)
    AllocationSettings.objects.create(
        allocation=allocation, amber_percent=Decimal("30"), red_percent=Decimal("50")
    )
    report = _start(theme, lead)
    assert report.cost_rag == "amber"
    assert "over 30% amber and over 50% red" in report.cost_reason


def test_a_theme_spending_to_its_allocation_starts_green(programme, theme, lead):
    report = _start(theme, lead)  # no forecast by hand: the profile, in line
    assert report.cost_rag == "green"
    assert report.cost_reason.startswith("Forecast in line with the theme's allocation of £")


def test_nothing_is_copied_forward_from_last_months_report(programme, theme, lead):
    HighlightReportFactory(
        theme=theme,
        period=dt.date(2026, 10, 1),
        submitted=True,
        cost_rag="green",
        cost_reason="Green: spend is in line with the profile",
        scope_rag="amber",
        scope_reason="Scope under review",
        quality_rag="green",
        quality_reason="Audits good",
    )
    _forecast_everything_at(programme, "0.6")
    report = _start(theme, lead)
    assert report.cost_rag == "red" and "in line with the profile" not in report.cost_reason
    # Scope and quality are the lead's judgement: left blank for them.
    assert (report.scope_rag, report.scope_reason) == ("", "")
    assert (report.quality_rag, report.quality_reason) == ("", "")
    assert report.overall_rag == ""


def test_time_benefits_and_risk_quote_the_facts(theme, lead):
    MilestoneFactory(theme=theme, title="Policy late", due_date=dt.date(2026, 9, 1))
    on_track = MeasureFactory(theme=theme, name="Supervision on time")
    MeasureReadingFactory(measure=on_track, value=Decimal("75"), date=dt.date(2026, 10, 31))
    behind = MeasureFactory(theme=theme, name="Audits good or better")
    MeasureReadingFactory(measure=behind, value=Decimal("45"), date=dt.date(2026, 10, 31))
    MeasureFactory(theme=theme, name="No readings yet")
    RiskFactory(theme=theme, description="Recruitment lag", likelihood=4, impact=4)
    RiskFactory(theme=theme, description="Minor", likelihood=1, impact=2)
    report = _start(theme, lead)
    assert report.time_rag == "amber"
    assert report.time_reason == "1 milestone overdue: Policy late (due 1 September 2026)"
    assert report.benefits_rag == "red"  # one of the two measures with readings is behind
    assert report.benefits_reason.startswith("1 of 2 measures with readings behind: ")
    assert re.search(
        r"Audits good or better \(45% against 7\d\.\d% expected by now\)", report.benefits_reason
    )
    assert report.risk_rag == "red"
    assert report.risk_reason == (
        "Open risks or issues scoring 15 or more: Recruitment lag (score 16)"
    )


def test_areas_the_data_says_nothing_about_start_blank(theme, lead):
    report = _start(theme, lead)  # no milestones, no readings
    assert (report.time_rag, report.benefits_rag) == ("", "")
    assert report.risk_rag == "green" and report.risk_reason == "No open risks or issues."
