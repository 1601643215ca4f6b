"""A measure's trend chart as a PNG, for the Word document (Word shows no SVG from python-docx).
It draws what the page's SVG chart draws: the readings, the baseline and the target. Its text
alternative is the same sentence (`themes.charts.trend_chart_summary`)."""

import io

from PIL import Image, ImageDraw, ImageFont

from themes.charts import TrendChart

WIDTH, HEIGHT, MARGIN = 1200, 420, 90
BLUE, GREY, GREEN, BLACK = (29, 112, 184), (80, 90, 95), (0, 112, 60), (11, 12, 12)


def _font(size: int):
    return ImageFont.load_default(size=size)


def chart_png(chart: TrendChart) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    (b_date, baseline), (_, target) = chart.baseline, chart.target
    values = [v for _, v in chart.readings] + [baseline, target]
    # Along the bottom: from the baseline to the latest reading (the target is a level, drawn
    # across; its date, often years ahead, would squeeze the readings into a corner).
    dates = [d for d, _ in chart.readings] + [b_date]
    low, high = float(min(values)), float(max(values))
    if high == low:
        high = low + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    left, right, top, bottom = MARGIN, WIDTH - 40, 50, HEIGHT - 60

    def x(day):
        return left + (right - left) * (day - first).days / span

    def y(value):
        return bottom - (bottom - top) * (float(value) - low) / (high - low)

    draw.line([(left, top), (left, bottom), (right, bottom)], fill=BLACK, width=2)
    draw.text((left, 10), chart.name, fill=BLACK, font=_font(26))
    for value, colour, label in ((baseline, GREY, "Baseline"), (target, GREEN, "Target")):
        draw.line([(left, y(value)), (right, y(value))], fill=colour, width=2)
        draw.text(
            (right - 260, y(value) - 26), f"{label} {chart.fmt(value)}", fill=colour, font=_font(20)
        )
    points = [(x(d), y(v)) for d, v in chart.readings]
    if len(points) > 1:
        draw.line(points, fill=BLUE, width=4)
    for px, py in points:
        draw.ellipse([px - 6, py - 6, px + 6, py + 6], fill=BLUE)
    for value in (low + pad, high - pad):
        draw.text((8, y(value) - 10), chart.fmt(round(value, 1)), fill=BLACK, font=_font(20))
    draw.text((left, bottom + 15), f"{first:%B %Y}", fill=BLACK, font=_font(20))
    draw.text((right - 160, bottom + 15), f"{last:%B %Y}", fill=BLACK, font=_font(20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
