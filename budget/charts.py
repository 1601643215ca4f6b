"""The cumulative spend chart as server-rendered SVG (pygal); the page also shows it as a table."""

import base64

import pygal

from havering_improve.fy import period_month_name
from themes.charts import govuk_style

# Profile in dark grey, forecast in red, actual in blue.
_STYLE = govuk_style("#505a5f", "#d4351c", "#1d70b8")


def cumulative_chart(report) -> str:
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
    chart.title = "Cumulative spend against profile and forecast"
    chart.x_labels = [period_month_name(r["period"]) for r in rows]
    # pygal draws floats; the figures themselves stay Decimal in the table and the exports.
    # Actual is drawn last so it sits on top of the forecast, which repeats it to date.
    chart.add("Budget profile", [float(r["profile"]) for r in rows])
    chart.add("Forecast", [float(r["forecast"]) for r in rows], stroke_style={"dasharray": "6,4"})
    chart.add("Actual", [float(r["actual"]) if r["actual"] is not None else None for r in rows])
    # A data URI in an <img>: the SVG keeps its own <style>, which the page's Content Security
    # Policy (no inline style) would block if the markup were put into the page itself.
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
