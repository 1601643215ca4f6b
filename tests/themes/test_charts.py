"""Measure charts: a long series is plotted as a summary, and the text alternative says so."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from themes.charts import (
    CHART_POINTS,
    chart_points,
    measure_chart_drawn,
    measure_chart_html,
    measure_chart_summary,
)
from themes.models import MeasureReading

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db


def page_chart_svg(measure, readings) -> str:
    """The SVG a measure's page shows: what the chart's own address answers."""
    return measure_chart_drawn(measure, readings)[1]


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
    svg = page_chart_svg(measure, readings)
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


def _svg_text(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


def test_axes_read_in_plain_figures_with_dates_and_the_baseline_and_target_labelled(theme):
    measure = MeasureFactory(
        theme=theme,
        name="Children seen within 5 days",
        unit="count",
        baseline_value=Decimal("60"),
        target_value=Decimal("90"),
    )
    readings = [
        MeasureReading(measure=measure, date=dt.date(2026, m, 1), value=Decimal(v))
        for m, v in [(2, "61"), (5, "67"), (8, "74")]
    ]
    labels = _svg_text(page_chart_svg(measure, readings))
    assert not any("E+" in text for text in labels)  # never "9E+1"
    numbers = [t for t in labels if re.fullmatch(r"[\d,.]+", t)]
    assert numbers and all("." not in t for t in numbers)  # a count is whole
    assert "90" in numbers and "60" in numbers
    assert "Jan 2026" in labels  # the time axis carries dates
    assert "Baseline 60" in labels and "Target 90" in labels


def test_a_percentage_axis_reads_in_percent(theme):
    measure = MeasureFactory(theme=theme)  # 40% to 80%
    labels = _svg_text(page_chart_svg(measure, []))
    assert "50%" in labels and "100%" in labels
    assert "Baseline 40%" in labels and "Target 80%" in labels


def test_the_pack_draws_a_measure_with_the_same_chart_function_as_its_page(theme, board_member):
    from reporting.documents import snapshot_chart
    from reporting.sections import measure_data as _measure_data
    from themes.charts import trend_chart_summary, trend_chart_svg

    measure = MeasureFactory(theme=theme, name="Plans reviewed")
    readings = weekly(measure, 30)
    page_svg = page_chart_svg(measure, readings)
    data = _measure_data(measure, [(r.date, r.value) for r in readings])
    pack_chart = snapshot_chart(data)

    def same(svg):  # each render has its own element id
        return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id", svg)

    assert same(trend_chart_svg(pack_chart)) == same(page_svg)
    assert trend_chart_summary(pack_chart) == measure_chart_summary(measure, readings)
