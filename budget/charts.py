"""The cumulative spend chart as server-rendered SVG (pygal); the page also shows it as a table.

The report page shows the chart as an <img> at its own address (`budget:chart`), which ends in
the chart's version: a fingerprint of the figures it draws and of the drawing code. The
browser keeps it as long as that address stands, and a change to the figures gives a new one."""

import hashlib
from pathlib import Path

import pygal

from havering_improve.fy import period_month_name
from themes import charts as theme_charts

# Profile in dark grey, forecast in red, actual in blue.
_STYLE = theme_charts.govuk_style("#505a5f", "#d4351c", "#1d70b8")
TITLE = "Cumulative spend against profile and forecast"
# What the drawing code is: this file and the shared chart style it draws with.
_DRAWING = hashlib.sha256(
    Path(__file__).read_bytes() + Path(theme_charts.__file__).read_bytes()
).hexdigest()


def cumulative_chart_version(report) -> str:
    """A short fingerprint of what the report's chart draws (each period's cumulative profile,
    forecast and actual, and the drawing code): the last part of the chart's address."""
    drawn = repr((_DRAWING, TITLE, tuple(tuple(r.values()) for r in report.cumulative())))
    return hashlib.sha256(drawn.encode("utf-8")).hexdigest()[:20]


def cumulative_chart_svg(report) -> str:
    rows = report.cumulative()
    chart = pygal.Line(
        style=_STYLE,
        width=800,
        height=360,
        show_dots=True,
        dots_size=3,
        legend_at_bottom=True,
        x_title="Period",
        y_title="Cumulative £",
        value_formatter=lambda v: f"£{v:,.0f}",
        disable_xml_declaration=True,
        js=[],
    )
    chart.title = TITLE
    chart.x_labels = [period_month_name(r["period"]) for r in rows]
    # pygal draws floats; the figures themselves stay Decimal in the table and the exports.
    # Actual is drawn last so it sits on top of the forecast, which repeats it to date.
    chart.add("Budget profile", [float(r["profile"]) for r in rows])
    chart.add("Forecast", [float(r["forecast"]) for r in rows], stroke_style={"dasharray": "6,4"})
    chart.add("Actual", [float(r["actual"]) if r["actual"] is not None else None for r in rows])
    # Shown in an <img>: the SVG keeps its own <style>, which the page's Content Security
    # Policy (no inline style) would block if the markup were put into the page itself.
    return chart.render(is_unicode=True)


def cumulative_chart_drawn(report) -> tuple[str, str]:
    """The report's chart as it is now: (its version, its SVG)."""
    return cumulative_chart_version(report), cumulative_chart_svg(report)
