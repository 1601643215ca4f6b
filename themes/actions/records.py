"""A theme's records: milestones, measures of success and their readings, risks and issues.

Each action names the fields it sets. An update changes those it is given (the others are
`KEEP`) and never the theme the record belongs to.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from havering_improve.actions import KEEP, Keep, action, kept, lock_current

from ..models import Measure, MeasureReading, Milestone, Risk, Theme

# Milestones ------------------------------------------------------------------------------------


def _completed_on(status, completed_on):
    """A milestone marked done with no completion date was completed today."""
    if status == Milestone.Status.DONE and completed_on in (KEEP, None):
        return timezone.localdate()
    return completed_on


@action("can_edit_theme", on="theme")
def milestone_create(
    *,
    theme: Theme,
    actor,
    title: str,
    due_date: dt.date,
    owner: str = "",
    status: str = Milestone.Status.NOT_STARTED,
    completed_on: dt.date | None = None,
) -> Milestone:
    milestone = Milestone(
        theme=theme,
        title=title,
        owner=owner,
        due_date=due_date,
        status=status,
        completed_on=_completed_on(status, completed_on),
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@action("can_edit_theme", on="milestone.theme")
def milestone_update(
    *,
    milestone: Milestone,
    actor,
    version: int,
    title: str | Keep = KEEP,
    owner: str | Keep = KEEP,
    due_date: dt.date | Keep = KEEP,
    status: str | Keep = KEEP,
    completed_on: dt.date | None | Keep = KEEP,
) -> Milestone:
    current = lock_current(milestone, version)
    current.title = kept(title, current.title)
    current.owner = kept(owner, current.owner)
    current.due_date = kept(due_date, current.due_date)
    current.status = kept(status, current.status)
    current.completed_on = kept(_completed_on(status, completed_on), current.completed_on)
    current.full_clean()
    current.version += 1
    current.save()
    return current


# Measures and readings -------------------------------------------------------------------------


@action("can_edit_theme", on="theme")
def measure_create(
    *,
    theme: Theme,
    actor,
    name: str,
    unit: str,
    direction: str,
    baseline_value: Decimal,
    baseline_date: dt.date,
    target_value: Decimal,
    target_date: dt.date,
    definition: str = "",
) -> Measure:
    order = (Measure.objects.filter(theme=theme).aggregate(m=Max("order"))["m"] or 0) + 1
    measure = Measure(
        theme=theme,
        order=order,
        name=name,
        definition=definition,
        unit=unit,
        direction=direction,
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
    )
    measure.full_clean()
    measure.save()
    return measure


@action("can_edit_theme", on="measure.theme")
def measure_update(
    *,
    measure: Measure,
    actor,
    version: int,
    name: str | Keep = KEEP,
    definition: str | Keep = KEEP,
    unit: str | Keep = KEEP,
    direction: str | Keep = KEEP,
    baseline_value: Decimal | Keep = KEEP,
    baseline_date: dt.date | Keep = KEEP,
    target_value: Decimal | Keep = KEEP,
    target_date: dt.date | Keep = KEEP,
) -> Measure:
    current = lock_current(measure, version)
    current.name = kept(name, current.name)
    current.definition = kept(definition, current.definition)
    current.unit = kept(unit, current.unit)
    current.direction = kept(direction, current.direction)
    current.baseline_value = kept(baseline_value, current.baseline_value)
    current.baseline_date = kept(baseline_date, current.baseline_date)
    current.target_value = kept(target_value, current.target_value)
    current.target_date = kept(target_date, current.target_date)
    current.full_clean()
    current.version += 1
    current.save()
    return current


@action("can_edit_theme", on="measure.theme")
def measure_reading_add(
    *,
    measure: Measure,
    actor,
    value: Decimal,
    date: dt.date,
    source: str = "",
    note: str = "",
) -> MeasureReading:
    _check_reading(measure, value, date)
    reading = MeasureReading(
        measure=measure, value=value, date=date, source=source, note=note, recorded_by=actor
    )
    reading.full_clean()
    reading.save()
    return reading


def _check_reading(measure: Measure, value: Decimal, date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": "The date of a reading cannot be in the future"})
    if measure.unit == Measure.Unit.PERCENT and not (0 <= value <= 100):
        raise ValidationError({"value": "A percentage must be between 0 and 100"})


@action("can_edit_theme", on="reading.measure.theme")
def measure_reading_correct(
    *, reading: MeasureReading, actor, value: Decimal, date: dt.date
) -> MeasureReading:
    """Correct a reading's value and date where its source was corrected (an audit's grades);
    the same checks as a new reading, and the measure stays the same."""
    _check_reading(reading.measure, value, date)
    reading.value, reading.date = value, date
    reading.full_clean()
    reading.save(update_fields=["value", "date"])
    return reading


# Risks -----------------------------------------------------------------------------------------


@action("can_edit_theme", on="theme")
def risk_create(
    *,
    theme: Theme,
    actor,
    description: str,
    likelihood: int,
    impact: int,
    kind: str = Risk.Kind.RISK,
    owner: str = "",
    mitigation: str = "",
    status: str = Risk.Status.OPEN,
    review_date: dt.date | None = None,
    escalated: bool = False,
) -> Risk:
    risk = Risk(
        theme=theme,
        kind=kind,
        description=description,
        likelihood=likelihood,
        impact=impact,
        owner=owner,
        mitigation=mitigation,
        status=status,
        review_date=review_date,
        escalated=escalated,
    )
    risk.full_clean()
    risk.save()
    return risk


@action("can_edit_theme", on="risk.theme")
def risk_update(
    *,
    risk: Risk,
    actor,
    version: int,
    kind: str | Keep = KEEP,
    description: str | Keep = KEEP,
    likelihood: int | Keep = KEEP,
    impact: int | Keep = KEEP,
    owner: str | Keep = KEEP,
    mitigation: str | Keep = KEEP,
    status: str | Keep = KEEP,
    review_date: dt.date | None | Keep = KEEP,
    escalated: bool | Keep = KEEP,
) -> Risk:
    current = lock_current(risk, version)
    current.kind = kept(kind, current.kind)
    current.description = kept(description, current.description)
    current.likelihood = kept(likelihood, current.likelihood)
    current.impact = kept(impact, current.impact)
    current.owner = kept(owner, current.owner)
    current.mitigation = kept(mitigation, current.mitigation)
    current.status = kept(status, current.status)
    current.review_date = kept(review_date, current.review_date)
    current.escalated = kept(escalated, current.escalated)
    current.full_clean()
    current.version += 1
    current.save()
    return current
