"""Measure charts: a long series is plotted as a summary, and the text alternative says so."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from themes.charts import (
    CHART_POINTS,
    chart_points,
    measure_chart_html,
    measure_chart_summary,
    measure_chart_svg,
)
from themes.models import MeasureReading

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db


def weekly(measure, weeks: int) -> list[MeasureReading]:
    start = dt.date(2016, 11, 1)
    return [
        MeasureReading(
            measure=measure, date=start + dt.timedelta(weeks=w), value=Decimal(40 + w % 50)
        )
        for w in range(weeks)
    ]


def test_a_short_series_is_plotted_reading_by_reading(theme):
    measure = MeasureFactory(theme=theme, name="Plans reviewed")
    readings = weekly(measure, 30)
    summary = measure_chart_summary(measure, readings)
    assert summary.startswith("Plans reviewed: 30 readings from")
    assert "The chart plots" not in summary


def test_ten_years_of_weekly_readings_are_plotted_monthly_and_the_alt_text_says_so(theme):
    measure = MeasureFactory(theme=theme, name="Plans reviewed")
    readings = weekly(measure, 520)
    summary = measure_chart_summary(measure, readings)
    assert "520 readings" in summary
    assert "The chart plots the last reading of each month: 120 of the 520 readings." in summary
    html = measure_chart_html(measure, readings)
    assert re.search(r'alt="[^"]*The chart plots the last reading of each month', html)
    svg = measure_chart_svg(measure, readings)
    assert svg.count('class="dot') < 10  # a line, not hundreds of dots
    # The page stays light: the image is a fraction of what every reading would weigh.
    assert len(html) < 60_000


def test_a_series_longer_than_the_chart_is_wide_is_spread_evenly_over_its_months(theme):
    measure = MeasureFactory(theme=theme, name="Plans reviewed")
    readings = weekly(measure, 52 * 15)  # fifteen years: 180 months
    assert len(chart_points(readings)) == CHART_POINTS
    assert chart_points(readings)[-1] == readings[-1]
    summary = measure_chart_summary(measure, readings)
    assert f"The chart plots {CHART_POINTS} of the 780 readings" in summary
    assert "evenly spread over the 180 months" in summary
