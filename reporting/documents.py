"""A pack's and a progress report's HTML, rendered from their snapshot alone (charts drawn from
the snapshot's figures, never from live data), and the charts of a built pack at addresses of
their own. The PDF is drawn from the same documents by `reporting.render`, loaded only when a
PDF is made."""

import base64
import datetime as dt
import hashlib
import itertools
import re
from decimal import Decimal

from django.template.loader import render_to_string

from themes.charts import EAGER_CHARTS, TrendChart, trend_chart_html
from themes.charts import format_number as format_in_unit
from themes.models import Measure

_UNIT_KEYS = {label: key for key, label in Measure.Unit.choices}


def _iso_or(value: str | None, shown: str, fmt: str) -> dt.date:
    """A snapshot's date: its ISO form, or (packs built before it was kept) the shown text."""
    if value:
        return dt.date.fromisoformat(value)
    return dt.datetime.strptime(shown, fmt).date()


def snapshot_chart(measure: dict) -> TrendChart:
    """A measure's chart from the snapshot's figures alone, for the same chart function that
    draws the theme page (themes.charts)."""
    # Packs built before the snapshot had a "trend" plot every reading.
    points = measure.get("trend", measure["readings"])
    return TrendChart(
        name=measure["name"],
        unit=measure.get("unit_key") or _UNIT_KEYS.get(measure["unit"], "score"),
        direction=measure["direction"],
        baseline=(
            _iso_or(measure.get("baseline_iso"), measure["baseline_date"], "%d %B %Y"),
            Decimal(measure["baseline"]),
        ),
        target=(
            _iso_or(measure.get("target_iso"), measure["target_date"], "%d %B %Y"),
            Decimal(measure["target"]),
        ),
        readings=[
            (_iso_or(r.get("date"), r["short"], "%b %Y"), Decimal(r["value"])) for r in points
        ],
        note=measure.get("chart_note", ""),
    )


def _with_charts(snapshot: dict) -> dict:
    """Charts are drawn from the snapshot's figures at render time, never from live data, and
    every figure is shown in its measure's unit. The snapshot itself is left as it is: only the
    focus themes and their measures are new dicts."""

    def shown(measure: dict) -> dict:
        chart = snapshot_chart(measure)
        return {
            **measure,
            "chart": trend_chart_html(chart),
            "baseline_shown": chart.fmt(chart.baseline[1]),
            "target_shown": chart.fmt(chart.target[1]),
            "readings": [
                {**r, "shown": format_in_unit(chart.unit, r["value"])} for r in measure["readings"]
            ],
        }

    focus = [
        {**theme, "measures": [shown(m) for m in theme["measures"]]} for theme in snapshot["focus"]
    ]
    return {**snapshot, "focus": focus}


# The overview lists the latest few overdue milestones of a theme not in focus; the rest are
# counted and linked to the theme's milestones.
OVERVIEW_OVERDUE = 5


def overdue_groups(snapshot: dict) -> list[dict]:
    """The overview's overdue milestones by theme: each theme's count, and the milestones it
    lists (none for a focus theme, whose own section lists them; the latest OVERVIEW_OVERDUE
    of another), with the address of the theme's milestones when the snapshot has it."""
    focus = {f["title"] for f in snapshot["focus"]}
    urls = {row["title"]: row.get("milestones_url", "") for row in snapshot["overview"]}
    groups: dict[str, list[dict]] = {}
    for m in snapshot["overdue_milestones"]:
        groups.setdefault(m["theme"], []).append(m)
    found = []
    for theme, milestones in groups.items():
        shown = [] if theme in focus else milestones[-OVERVIEW_OVERDUE:]
        found.append(
            {
                "theme": theme,
                "count": len(milestones),
                "in_focus": theme in focus,
                "milestones": shown,
                "more": len(milestones) - len(shown),
                "url": urls.get(theme, ""),
            }
        )
    return found


def escalated_split(snapshot: dict) -> dict:
    """The overview's escalated risks: those of themes not in focus, listed; a focus theme's
    counted, as its own section lists them."""
    focus = [f["title"] for f in snapshot["focus"]]
    risks = snapshot["escalated_risks"]
    counts = [(title, sum(1 for r in risks if r["theme"] == title)) for title in focus]
    return {
        "elsewhere": [r for r in risks if r["theme"] not in focus],
        "in_focus": [(title, n) for title, n in counts if n],
    }


def _pack_context(snapshot: dict) -> dict:
    s = _with_charts(snapshot)
    # A focus theme's overdue milestones and escalated risks are listed in its own section.
    return {"s": s, "overdue_groups": overdue_groups(s), "escalated": escalated_split(s)}


def render_pack(snapshot: dict) -> tuple[str, str]:
    """The pack's page fragment and its whole document for the PDF, from one drawing of its
    charts."""
    context = _pack_context(snapshot)
    return (
        render_to_string("reporting/pack_body.html", context),
        render_to_string("reporting/pack_document.html", context),
    )


def render_pack_html(snapshot: dict) -> str:
    """The pack's body as an HTML fragment, shown inside the site's page."""
    return render_to_string("reporting/pack_body.html", _pack_context(snapshot))


def render_pack_document(snapshot: dict) -> str:
    """The whole pack as one HTML document for the PDF: cover, contents, sections."""
    return render_to_string("reporting/pack_document.html", _pack_context(snapshot))


# A chart in a pack's stored HTML: an <img> holding its SVG as a data URI, as the pack was
# built (and its PDF). The pack's page links each chart at an address of its own instead, so the
# page stays light and the browser keeps the charts: a published pack never changes.
_CHART_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def _chart_key(data: str) -> str:
    """The last part of a chart's address: a fingerprint of the chart itself."""
    return hashlib.sha256(data.encode("ascii")).hexdigest()[:20]


def pack_charts(html: str) -> dict[str, str]:
    """The charts in a built pack's HTML, by their key, each as base64 (see `pack_chart_svg`)."""
    return {_chart_key(match[1]): match[1] for match in _CHART_SRC.finditer(html)}


def pack_chart_svg(data: str) -> bytes:
    return base64.b64decode(data)


def with_chart_addresses(html: str, address) -> str:
    """A built pack's HTML with each chart linked at `address(key)` instead of embedded; those
    after the first EAGER_CHARTS load as the reader scrolls to them. Their alt text stays."""
    count = itertools.count()

    def linked(match) -> str:
        lazy = ' loading="lazy"' if next(count) >= EAGER_CHARTS else ""
        return f'src="{address(_chart_key(match[1]))}"{lazy}'

    return _CHART_SRC.sub(linked, html)


def render_report_html(snapshot: dict) -> str:
    return render_to_string("reporting/report_body.html", {"s": snapshot})


def render_report_document(snapshot: dict) -> str:
    return render_to_string("reporting/report_document.html", {"s": snapshot})


def pdf_of(document: str) -> bytes:
    """The PDF of a rendered document. The renderer (WeasyPrint) is loaded here, the first time
    a PDF is made, so pages and jobs that make none never load it."""
    from . import render

    return render.render_pdf(document)
