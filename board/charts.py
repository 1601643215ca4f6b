"""Small line charts as SVG for packs and reports.

Written by hand rather than with pygal: this SVG uses presentation attributes only (no <style>
block, no scripts), so it looks the same in the browser and in WeasyPrint's PDF. A page shows
it as an <img> holding the SVG as a data URI (`line_chart_img`), with the chart's text
alternative as its alt text: that is allowed by the site's Content-Security-Policy, and
WeasyPrint draws an image far faster than it lays out inline SVG. Each chart sits next to a
table of its figures, so no one needs to see it.
"""

import base64
from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD_X, PAD_Y = 480, 180, 48, 24
DOTS_UP_TO = 24


def line_chart_svg(
    *, title: str, points: list[tuple[str, Decimal]], target: Decimal | None = None
) -> str:
    """`points` are (label, value) in date order; `target` draws a dashed line."""
    if not points:
        return ""
    values = [Decimal(v) for _, v in points]
    ys = values + ([Decimal(target)] if target is not None else [])
    low, high = min(ys), max(ys)
    if low == high:
        low, high = low - 1, high + 1
    span_x = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return PAD_X + (WIDTH - 2 * PAD_X) * i / span_x

    def y(v: Decimal) -> float:
        return HEIGHT - PAD_Y - float((v - low) / (high - low)) * (HEIGHT - 2 * PAD_Y)

    path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" focusable="false">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD_X}" y1="{HEIGHT - PAD_Y}" x2="{WIDTH - PAD_X}" y2="{HEIGHT - PAD_Y}" '
        'stroke="#b1b4b6" stroke-width="1"/>',
        f'<text x="4" y="{y(high) + 4:.1f}" font-size="11" fill="#505a5f">{high.normalize()}'
        "</text>",
        f'<text x="4" y="{y(low) + 4:.1f}" font-size="11" fill="#505a5f">{low.normalize()}</text>',
    ]
    if target is not None:
        ty = y(Decimal(target))
        parts.append(
            f'<line x1="{PAD_X}" y1="{ty:.1f}" x2="{WIDTH - PAD_X}" y2="{ty:.1f}" '
            'stroke="#00703c" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    parts.append(f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="3"/>')
    # A dot on every reading while they are few; a long series is a line with its latest
    # reading marked (hundreds of dots are unreadable, and slow to lay out in the PDF).
    dotted = enumerate(values) if len(values) <= DOTS_UP_TO else [(len(values) - 1, values[-1])]
    for i, v in dotted:
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="#1d70b8"/>')
    parts.append(
        f'<text x="{PAD_X}" y="{HEIGHT - 6}" font-size="11" fill="#505a5f">'
        f"{escape(points[0][0])}</text>"
    )
    if len(points) > 1:
        parts.append(
            f'<text x="{WIDTH - PAD_X}" y="{HEIGHT - 6}" font-size="11" fill="#505a5f" '
            f'text-anchor="end">{escape(points[-1][0])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_img(
    *, title: str, points: list[tuple[str, Decimal]], target: Decimal | None = None
) -> str:
    """The chart as an <img> with the SVG as a data URI; `title` is its alt text."""
    svg = line_chart_svg(title=title, points=points, target=target)
    if not svg:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img class="app-chart" src="data:image/svg+xml;base64,{data}" '
        f'alt="{escape(title)}" width="{WIDTH}" height="{HEIGHT}">'
    )
