import datetime as dt
from decimal import Decimal

import factory

from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    owner = "Service manager"
    due_date = dt.date(2027, 1, 31)
    status = Milestone.Status.ON_TRACK


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = Measure.Unit.PERCENT
    direction = Measure.Direction.HIGHER
    baseline_value = Decimal("40")
    baseline_date = dt.date(2026, 1, 1)
    target_value = Decimal("80")
    target_date = dt.date(2027, 1, 1)


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureReading

    value = Decimal("50")
    date = dt.date(2026, 6, 1)
    source = "Monthly performance report"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    description = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 3
    impact = 4
    owner = "Lead"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HighlightReport

    period = dt.date(2026, 11, 1)
    overall_rag = "green"
    status_summary = "Going well."
    time_rag = "green"
    cost_rag = "green"
    scope_rag = "green"
    quality_rag = "green"
    benefits_rag = "green"
    risk_rag = "green"


def date_fields(name: str, value: dt.date | None) -> dict:
    """The three boxes of a GOV.UK date input, as the browser posts them."""
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
