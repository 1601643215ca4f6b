"""Server-rendered SVG trend charts for measures of success.

The same SVG goes into the theme page and (later) the board's PDF pack, so it carries no
JavaScript and no external references. Every chart has a text alternative
(`measure_chart_summary`) and the page shows the readings as a table too.

A long series (ten years of weekly readings is 520) is plotted as a summary, `chart_points`:
the last reading of each month, thinned evenly to at most CHART_POINTS points. A chart that
wide cannot show more, and drawing every point makes the page heavy and the PDF slow. The
text alternative says when a chart is a summary; the readings table keeps every figure.
"""

import base64

import pygal
from django.utils.html import format_html
from pygal.style import Style

from .models import Measure

# GOV.UK palette: readings in blue, the target trajectory in dark grey, dashed.
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#505a5f"),
    font_family="arial, helvetica, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


CHART_POINTS = 120
DOTS_UP_TO = 60  # a dot on each reading while they are this few


def month_ends(readings: list, *, date=lambda r: r.date) -> list:
    """The last reading of each month, oldest first (`readings` oldest first)."""
    last: dict[tuple[int, int], object] = {}
    for r in readings:
        d = date(r)
        last[(d.year, d.month)] = r
    return list(last.values())


def chart_points(readings: list, *, date=lambda r: r.date) -> list:
    """What a chart plots of `readings` (oldest first): all of them while there are at most
    CHART_POINTS; otherwise the last reading of each month, and if those are still too many,
    an even spread of them that keeps the first and the last."""
    if len(readings) <= CHART_POINTS:
        return list(readings)
    months = month_ends(readings, date=date)
    if len(months) <= CHART_POINTS:
        return months
    step = (len(months) - 1) / (CHART_POINTS - 1)
    return [months[round(i * step)] for i in range(CHART_POINTS)]


def chart_note(readings: list, *, date=lambda r: r.date) -> str:
    """The sentence that says a chart is a summary ("" when it plots every reading)."""
    total = len(readings)
    if total <= CHART_POINTS:
        return ""
    months = len(month_ends(readings, date=date))
    if months <= CHART_POINTS:
        return f"The chart plots the last reading of each month: {months} of the {total} readings."
    return (
        f"The chart plots {CHART_POINTS} of the {total} readings: the last reading of a month, "
        f"evenly spread over the {months} months."
    )


def _unit_suffix(measure) -> str:
    return "%" if measure.unit == Measure.Unit.PERCENT else f" {measure.get_unit_display().lower()}"


def format_value(measure, value) -> str:
    """A reading as people say it: 62.5%, 14 days, 3 count → 3."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if measure.unit == Measure.Unit.PERCENT:
        return f"{text}%"
    if measure.unit == Measure.Unit.DAYS:
        return f"{text} days"
    return text


def measure_chart_summary(measure, readings) -> str:
    """One sentence describing the chart, for screen readers and as the figure caption."""
    readings = list(readings)
    target = (
        f"target {format_value(measure, measure.target_value)} by {measure.target_date:%-d %B %Y}"
    )
    baseline = (
        f"baseline {format_value(measure, measure.baseline_value)} on "
        f"{measure.baseline_date:%-d %B %Y}"
    )
    if not readings:
        return f"{measure.name}: no readings yet; {baseline}; {target}."
    first, last = readings[0], readings[-1]
    note = chart_note(readings)
    return (
        f"{measure.name}: {len(readings)} reading{'s' if len(readings) != 1 else ''} from "
        f"{format_value(measure, first.value)} on {first.date:%-d %B %Y} to "
        f"{format_value(measure, last.value)} on {last.date:%-d %B %Y}; {baseline}; {target} "
        f"({measure.get_direction_display().lower()})." + (f" {note}" if note else "")
    )


def measure_chart_svg(measure, readings=None, *, width: int = 720, height: int = 300) -> str:
    """The measure's trend chart as a standalone SVG document (text): its readings over time
    against the straight line from baseline to target. `readings` (oldest first) saves a query
    when the caller has them already. For a page or a PDF use `measure_chart_html`."""
    if readings is None:
        readings = list(measure.readings.order_by("date", "pk"))
    readings = chart_points(list(readings))
    chart = pygal.DateLine(
        width=width,
        height=height,
        style=_STYLE,
        js=[],
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_value_formatter=lambda d: d.strftime("%b %Y"),
        value_formatter=lambda v: format_value(measure, v),
        dots_size=2.5,
        show_dots=len(readings) <= DOTS_UP_TO,
        margin=12,
        include_x_axis=measure.unit == Measure.Unit.PERCENT,
        range=(0, 100) if measure.unit == Measure.Unit.PERCENT else None,
        truncate_legend=-1,
        tooltip_border_radius=0,
    )
    # Float is only for plotting; every value shown as text comes from the Decimal.
    chart.add("Readings", [(r.date, float(r.value)) for r in readings])
    chart.add(
        "Baseline to target",
        [
            (measure.baseline_date, float(measure.baseline_value)),
            (measure.target_date, float(measure.target_value)),
        ],
        stroke_style={"dasharray": "6,4", "width": 2},
        show_dots=True,
    )
    return chart.render(is_unicode=True)


def measure_chart_html(measure, readings=None) -> str:
    """The chart as an <img> holding the SVG as a data URI, with the text alternative as its alt
    text. An image keeps the SVG's own styles working under the site's Content Security Policy
    (which refuses inline styles in the page) and embeds as it is in a WeasyPrint PDF."""
    if readings is None:
        readings = list(measure.readings.order_by("date", "pk"))
    readings = list(readings)
    svg = measure_chart_svg(measure, readings)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="app-chart" src="data:image/svg+xml;base64,{}" alt="{}" width="720" '
        'height="300">',
        data,
        measure_chart_summary(measure, readings),
    )
