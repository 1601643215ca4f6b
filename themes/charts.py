"""Server-rendered SVG trend charts for measures of success.

The same SVG goes into the theme's pages and the board's packs (HTML and PDF), shown as an
image, so it carries no JavaScript and no external references. Every chart has a text
alternative (`measure_chart_summary`) and the page shows the readings as a table too.

A page links each chart at an address of its own, keyed by what it draws (`chart_version`: the
measure's figures and readings, and this drawing code), so the browser keeps it until the data
changes (`svg_response`) and the page stays light; the PDF embeds each chart as a data URI
(`trend_chart_html`), as WeasyPrint fetches nothing.
`govuk_style` is every chart's look, the budget's spend chart's too.

A long series (ten years of weekly readings is 520) is plotted as a summary, `chart_points`:
the last reading of each month, thinned evenly to at most CHART_POINTS points. A chart that
wide cannot show more, and drawing every point makes the page heavy and the PDF slow. The
text alternative says when a chart is a summary; the readings table keeps every figure.
"""

import base64
import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pygal
from csp.decorators import csp_replace
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from pygal.style import Style

from .models import Measure


def govuk_style(*colors: str, **options) -> Style:
    """A pygal style for the service's charts: GOV.UK text colours on white, in Arial, the series
    in `colors` (GOV.UK palette colours with enough contrast against white); `options` are
    pygal's other Style settings, such as font sizes."""
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f",
        colors=colors,
        font_family="Arial, Helvetica, sans-serif",
        **options,
    )


# The chart's own stylesheet (see the file): pygal reads a path after "file://".
CHART_CSS = "file://" + str(Path(__file__).resolve().parent / "chart.css")

# Readings in blue, the target trajectory in dark grey, dashed. The chart is drawn 720 units
# wide and printed 150 mm wide in a pack, so 16 units of text print at about 9.5 pt.
_STYLE = govuk_style(
    "#1d70b8",
    "#505a5f",
    label_font_size=16,
    major_label_font_size=16,
    legend_font_size=16,
    title_font_size=18,
    value_label_font_size=15,
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


def format_number(unit: str, value) -> str:
    """A value in a measure's unit as people say it, in plain figures (never "9E+1"): 62.5%,
    14 days, a count as a whole number with thousands separated (1,204)."""
    if value is None:
        return ""
    value = Decimal(str(value))
    if unit == Measure.Unit.COUNT:
        return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == Measure.Unit.PERCENT:
        return f"{text}%"
    if unit == Measure.Unit.DAYS:
        return f"{text} day{'' if text == '1' else 's'}"
    return text


def format_value(measure, value) -> str:
    """A reading of `measure` as people say it (see `format_number`)."""
    return format_number(measure.unit, value)


@dataclass(frozen=True)
class TrendChart:
    """What a trend chart shows, as plain values: the theme page builds it from a measure, the
    board pack from its frozen snapshot, and both draw it with the same functions below."""

    name: str
    unit: str  # a Measure.Unit value
    direction: str  # "Higher is better" or "Lower is better"
    baseline: tuple[dt.date, Decimal]
    target: tuple[dt.date, Decimal]
    readings: list[tuple[dt.date, Decimal]]  # oldest first, every reading (or those known)
    note: str = ""  # says when the plotted points are a summary; worked out if empty

    @classmethod
    def for_measure(cls, measure, readings) -> "TrendChart":
        """`readings` are MeasureReading rows (or anything with .date and .value), oldest first."""
        return cls(
            name=measure.name,
            unit=measure.unit,
            direction=measure.get_direction_display(),
            baseline=(measure.baseline_date, measure.baseline_value),
            target=(measure.target_date, measure.target_value),
            readings=[(r.date, r.value) for r in readings],
        )

    def fmt(self, value) -> str:
        return format_number(self.unit, value)


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def trend_chart_summary(chart: TrendChart) -> str:
    """One sentence describing the chart: its alternative text and the figure's caption."""
    readings = chart.readings
    (baseline_date, baseline), (target_date, target) = chart.baseline, chart.target
    target_text = f"target {chart.fmt(target)} by {_day(target_date)}"
    baseline_text = f"baseline {chart.fmt(baseline)} on {_day(baseline_date)}"
    if not readings:
        return f"{chart.name}: no readings yet; {baseline_text}; {target_text}."
    (first_date, first), (last_date, last) = readings[0], readings[-1]
    note = chart.note or chart_note(readings, date=lambda r: r[0])
    return (
        f"{chart.name}: {len(readings)} reading{'s' if len(readings) != 1 else ''} from "
        f"{chart.fmt(first)} on {_day(first_date)} to {chart.fmt(last)} on {_day(last_date)}; "
        f"{baseline_text}; {target_text} ({chart.direction.lower()})."
        + (f" {note}" if note else "")
    )


def _count_labels(low: Decimal, high: Decimal) -> list[int]:
    """Whole-number value-axis labels for a count, from 0 (no 2.5 children)."""
    low, high = min(0, math.floor(low)), math.ceil(high)
    step = max(1, math.ceil((high - low) / 6))
    return list(range(low, high + step, step))


def _date_labels(first: dt.date, last: dt.date, *, most: int = 6) -> list[dt.date]:
    """First-of-month dates for the time axis, evenly spaced, covering first to last."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, math.ceil(months / most))
    labels, year, month = [], first.year, first.month
    if step >= 12:  # a long series: each label a January, whole years apart
        step = 12 * math.ceil(step / 12)
        year, month = (first.year, 1) if first.month == 1 else (first.year + 1, 1)
    for _ in range(0, months + step, step):
        labels.append(dt.date(year, month, 1))
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return [d for d in labels if d <= last] or [dt.date(first.year, first.month, 1)]


def trend_chart_svg(chart: TrendChart, *, width: int = 720, height: int = 300) -> str:
    """The trend chart as a standalone SVG document (text): the readings over time against the
    straight line from baseline to target. The time axis carries dates, the value axis plain
    figures in the measure's unit (whole numbers for a count), and the baseline and target
    points are labelled with their values."""
    points = chart_points(chart.readings, date=lambda r: r[0])
    (baseline_date, baseline), (target_date, target) = chart.baseline, chart.target
    values = [v for _, v in points] + [baseline, target]
    dates = [d for d, _ in points] + [baseline_date, target_date]
    percent = chart.unit == Measure.Unit.PERCENT
    options = {}
    if chart.unit == Measure.Unit.COUNT:
        options["y_labels"] = _count_labels(min(values), max(values))
    elif percent:
        options["range"] = (0, 100)
    plot = pygal.DateLine(
        width=width,
        height=height,
        style=_STYLE,
        css=[CHART_CSS],
        js=[],
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        x_label_rotation=0,
        x_value_formatter=lambda d: d.strftime("%b %Y"),
        x_labels=_date_labels(min(dates), max(dates)),
        value_formatter=chart.fmt,
        dots_size=2.5,
        show_dots=len(points) <= DOTS_UP_TO,
        margin=12,
        margin_right=110,  # room for the target's label at the right-hand end
        include_x_axis=percent,
        truncate_legend=-1,
        truncate_label=-1,  # "Nov 2016", never "Nov 20…"
        tooltip_border_radius=0,
        print_labels=True,  # the baseline and target points carry their labels as text
        **options,
    )
    # Float is only for plotting; every value shown as text comes from the Decimal.
    plot.add("Readings", [(d, float(v)) for d, v in points])
    plot.add(
        "Baseline to target",
        [
            {
                "value": (baseline_date, float(baseline)),
                "label": f"Baseline {chart.fmt(baseline)}",
            },
            {"value": (target_date, float(target)), "label": f"Target {chart.fmt(target)}"},
        ],
        stroke_style={"dasharray": "6,4", "width": 2},
        show_dots=True,
    )
    return plot.render(is_unicode=True)


# A page's first charts are on screen as it opens; the browser fetches the rest as they near.
EAGER_CHARTS = 2


def chart_img(src: str, alt: str, *, lazy: bool = False, css_class: str = "app-chart") -> str:
    """A chart's <img>: its address (or data URI), its text alternative as the alt text, its size
    (so the page does not jump as it loads) and, below the fold, `loading="lazy"`."""
    return format_html(
        '<img class="{}" src="{}" alt="{}" width="720" height="300"{}>',
        css_class,
        src,
        alt,
        mark_safe(' loading="lazy"') if lazy else "",
    )


def trend_chart_html(chart: TrendChart, *, css_class: str = "app-chart") -> str:
    """The chart as an <img> holding the SVG as a data URI, with the text alternative as its alt
    text: for a document that fetches nothing (the board pack, stored as built, and its PDF).
    An image keeps the SVG's own styles working under the site's Content Security Policy
    (which refuses inline styles in the page), and embeds as it is in a WeasyPrint PDF, where it
    is tagged as a Figure with that alternative text."""
    data = base64.b64encode(trend_chart_svg(chart).encode("utf-8")).decode("ascii")
    return chart_img(
        "data:image/svg+xml;base64," + data, trend_chart_summary(chart), css_class=css_class
    )


# What the drawing code is: a chart's address changes with it, so no browser keeps a chart
# drawn by an older version of this file or its stylesheet.
_DRAWING = hashlib.sha256(
    Path(__file__).read_bytes() + Path(CHART_CSS.removeprefix("file://")).read_bytes()
).hexdigest()


def chart_version(chart: TrendChart) -> str:
    """A short fingerprint of everything the chart draws (the measure's name, unit, direction,
    baseline, target and readings, and the drawing code): the last part of its address."""
    drawn = repr(
        (_DRAWING, chart.name, chart.unit, chart.direction, chart.baseline, chart.target)
        + tuple(chart.readings)
        + (chart.note,)
    )
    return hashlib.sha256(drawn.encode("utf-8")).hexdigest()[:20]


# A year: the address changes whenever what it shows does.
CHART_MAX_AGE = 365 * 24 * 60 * 60


def svg_response(svg: str | bytes) -> HttpResponse:
    """A chart at its own address: SVG the browser keeps for a year without asking again
    (`private`: it is signed-in data, never kept by a shared cache on the way), never sniffed
    as anything else, and allowed nothing but its own inline styles if opened on its own."""
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = f"private, max-age={CHART_MAX_AGE}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response.kept_by_browser = True  # NoStoreWhenSignedInMiddleware leaves it so
    return response


# A chart's view: opened on its own, the SVG may use its own <style> and nothing else.
serves_svg = csp_replace(
    {"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "script-src": ["'none'"]}
)


def _readings(measure, readings):
    if readings is None:
        readings = measure.readings.order_by("date", "pk")
    return list(readings)


def measure_chart_summary(measure, readings) -> str:
    """One sentence describing the measure's chart, for screen readers and as the caption."""
    return trend_chart_summary(TrendChart.for_measure(measure, _readings(measure, readings)))


def measure_chart_html(measure, readings=None, *, lazy: bool = False) -> str:
    """The measure's chart as an <img> at its own address (see `measure_chart_response`), with
    its text alternative; `measure.theme` is loaded. `lazy`: it is below the fold."""
    chart = TrendChart.for_measure(measure, _readings(measure, readings))
    src = reverse(
        "themes:measure_chart",
        kwargs={"slug": measure.theme.slug, "pk": measure.pk, "version": chart_version(chart)},
    )
    return chart_img(src, trend_chart_summary(chart), lazy=lazy)


def measure_chart_drawn(measure, readings=None) -> tuple[str, str]:
    """The measure's chart as it is now: (its version, its SVG)."""
    chart = TrendChart.for_measure(measure, _readings(measure, readings))
    return chart_version(chart), trend_chart_svg(chart)
