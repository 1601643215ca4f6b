import datetime as dt

import factory
from django.utils import timezone

from board.models import Action, Meeting
from tests.factories import UserFactory
from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    date = factory.Sequence(lambda n: dt.date(2026, 1, 5) + dt.timedelta(weeks=4 * n))
    start_time = dt.time(10, 0)
    venue = "Town Hall, Romford, Committee Room 2"
    online_link = "https://teams.example/meet/board"
    chair = "Director of Children's Services"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    description = factory.Sequence(lambda n: f"Action number {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class HighlightReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HighlightReport

    period = dt.date(2026, 10, 1)
    status = HighlightReport.Status.SUBMITTED
    overall_rag = "amber"
    overall_reason = "Audits show progress but not yet consistent."
    status_summary = "Supervision audit completed."
    submitted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    owner = "Head of Service"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    description = factory.Sequence(lambda n: f"Risk {n}: staff turnover")
    likelihood = 3
    impact = 4
    owner = "Head of Service"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    name = "Supervisions on time"
    unit = Measure.Unit.PERCENT
    direction = Measure.Direction.HIGHER
    baseline_value = "52.00"
    baseline_date = dt.date(2026, 1, 1)
    target_value = "90.00"
    target_date = dt.date(2027, 3, 31)


class MeasureReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureReading

    value = "60.00"
    date = dt.date(2026, 6, 1)
