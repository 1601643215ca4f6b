"""A trend chart's time axis reads in print: whole labels ("Nov 2016", never "Nov 20…"), a
January a year or more apart for a long series, and text big enough at the pack's 150 mm."""

import datetime as dt
import re
from decimal import Decimal

from themes.charts import TrendChart, trend_chart_svg


def _chart(readings) -> str:
    return trend_chart_svg(
        TrendChart(
            name="Visits on time",
            unit="count",
            direction="Higher is better",
            baseline=(dt.date(2016, 11, 1), Decimal("51")),
            target=(dt.date(2027, 11, 26), Decimal("70")),
            readings=readings,
        )
    )


def test_ten_years_of_weekly_readings_have_whole_year_labels():
    start = dt.date(2016, 11, 1)
    svg = _chart([(start + dt.timedelta(weeks=i), Decimal(50 + i % 40)) for i in range(520)])
    assert "…" not in svg
    labels = re.findall(r">((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4})<", svg)
    assert labels and all(label.startswith("Jan ") for label in labels), labels
    years = sorted({int(label[4:]) for label in labels})
    assert years[0] == 2017 and len(years) >= 4


def test_the_axis_labels_are_big_enough_to_read_at_150_mm():
    svg = _chart([(dt.date(2026, m, 1), Decimal(50 + m)) for m in range(1, 12)])
    # The 720-unit-wide chart prints 150 mm wide: 16 units is about 9.5 pt.
    sizes = [float(size) for size in re.findall(r"\.axis[^{]*\{[^}]*font-size:\s*([\d.]+)px", svg)]
    assert sizes and min(sizes) >= 16, sizes
