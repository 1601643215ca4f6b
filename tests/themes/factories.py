"""One factory per model of the themes app, for every app's tests."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

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


class MeasureReadingFactory(factory.django.DjangoModelFactory):
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


class HighlightReportFactory(factory.django.DjangoModelFactory):
    """A draft, every area rated green; `submitted=True` for one the Board has, sent a day ago."""

    class Meta:
        model = HighlightReport

    class Params:
        submitted = factory.Trait(
            status=HighlightReport.Status.SUBMITTED,
            submitted_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1)),
        )

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
