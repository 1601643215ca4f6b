"""A QA audit's grades for a theme, and the reading of the theme's measure they feed.

The reading is the themes app's: it is recorded by its action (`measure_reading_add`), so its
own checks (a percentage from 0 to 100, no date in the future, who may change the theme) apply,
and a refusal there refuses the grades too, with its reason against the measure chosen."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from havering_improve.actions import KEEP, action, given, save_current
from themes.actions import records as theme_actions
from themes.models import Measure, MeasureReading, Theme

from ..models import AuditResult, EvaluationActivity
from ._common import check_themes, save


def _check_measure(result: AuditResult, measure: Measure) -> None:
    if measure.theme_id != result.theme_id:
        raise ValidationError(
            {"measure": f"Select a measure of the {result.theme} theme — the audit is for it."}
        )
    if measure.unit != Measure.Unit.PERCENT:
        raise ValidationError(
            {
                "measure": f"“{measure}” is measured in {measure.get_unit_display().lower()}; "
                "an audit gives a percentage good or better. Select a percentage measure."
            }
        )


def _reading(result: AuditResult, measure: Measure, actor) -> MeasureReading:
    """The audit's percentage good or better as a reading of `measure`, by the themes app's own
    action; its refusal is told against the measure."""
    try:
        return theme_actions.measure_reading_add.within(
            measure=measure,
            actor=actor,
            value=result.percent_good_or_better,
            date=result.date,
            source=f"QA audit: {result.activity.title}"[:300],
            note=(
                f"{result.good_or_better} of {result.cases_audited} cases audited were graded "
                "good or outstanding."
            ),
        )
    except ValidationError as exc:
        raise ValidationError(
            {
                "measure": [
                    f"“{measure}” did not take the reading, so nothing was saved: {message}"
                    for message in exc.messages
                ]
            }
        ) from exc


@action("can_edit_evaluation")
def audit_result_record(
    *,
    activity: EvaluationActivity,
    actor,
    theme: Theme,
    date: dt.date,
    cases_audited: int,
    outstanding: int = 0,
    good: int = 0,
    requires_improvement: int = 0,
    inadequate: int = 0,
    notes: str = "",
    measure: Measure | None = None,
) -> AuditResult:
    """Record one theme's grades from a QA audit; with `measure`, feed it a reading too."""
    if not activity.is_audit:
        raise ValidationError("Audit grades can only be recorded for a QA audit or practice week.")
    check_themes(activity.programme_id, [theme], field="theme")
    result = AuditResult(
        activity=activity,
        recorded_by=actor,
        theme=theme,
        date=date,
        cases_audited=cases_audited,
        outstanding=outstanding,
        good=good,
        requires_improvement=requires_improvement,
        inadequate=inadequate,
        notes=notes,
    )
    if measure is not None:
        _check_measure(result, measure)
    result.full_clean()
    if measure is not None:
        # The reading first, so the grades are saved once, already linked to it.
        result.measure_reading = _reading(result, measure, actor)
    result.save()
    return result


@action("can_edit_evaluation")
def audit_result_update(
    *,
    result: AuditResult,
    actor,
    version: int | None = None,
    theme: Theme = KEEP,
    date: dt.date = KEEP,
    cases_audited: int = KEEP,
    outstanding: int = KEEP,
    good: int = KEEP,
    requires_improvement: int = KEEP,
    inadequate: int = KEEP,
    notes: str = KEEP,
) -> AuditResult:
    """Correct an audit's grades, from the `version` its form was opened at; a reading it fed
    follows, so the two never disagree. The grades stay with the audit; another theme of its
    programme may be chosen, unless they feed a reading of this theme's measure."""
    if theme is not KEEP and theme.pk != result.theme_id:
        check_themes(result.activity.programme_id, [theme], field="theme")
        if result.measure_reading_id:
            raise ValidationError(
                {
                    "theme": f"These grades are a reading of “{result.measure_reading.measure}”, "
                    f"a measure of the {result.theme} theme, so they stay that theme's."
                }
            )
    fields = given(
        theme=theme,
        date=date,
        cases_audited=cases_audited,
        outstanding=outstanding,
        good=good,
        requires_improvement=requires_improvement,
        inadequate=inadequate,
        notes=notes,
    )
    result = save_current(result, version, fields)
    if result.measure_reading is not None:
        try:
            theme_actions.measure_reading_correct.within(
                reading=result.measure_reading,
                actor=actor,
                value=result.percent_good_or_better,
                date=result.date,
            )
        except ValidationError as exc:
            raise ValidationError(
                {"date": [f"The measure's reading was not corrected: {m}" for m in exc.messages]}
            ) from exc
    return result


@action("can_edit_evaluation")
def audit_result_feed_measure(*, result: AuditResult, measure: Measure, actor) -> MeasureReading:
    """Record the audit's percentage good or better as a reading of the theme's measure, linked
    back to the audit so nobody retypes it."""
    _check_measure(result, measure)
    if result.measure_reading_id:
        raise ValidationError("This audit result already feeds a measure reading.")
    reading = _reading(result, measure, actor)
    result.measure_reading = reading
    save(result, update_fields=["measure_reading"])
    return reading
