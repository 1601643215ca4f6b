"""Inspections and visits with their judgements, and which themes answer a judgement area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from havering_improve.actions import (
    KEEP,
    StaleEdit,
    action,
    given,
    rows_changed,
    save_current,
)
from programme.models import Programme
from themes.models import Theme

from ..models import EvaluationActivity, Inspection, Judgement, JudgementArea, OfstedGrade
from ._common import check_themes, save


def _check_activity(programme_id: int, activity: EvaluationActivity | None) -> None:
    if activity is not None and activity.programme_id != programme_id:
        raise ValidationError({"activity": "Select an evaluation activity of this programme."})


@action("can_edit_evaluation")
def inspection_record(
    *,
    programme: Programme,
    actor,
    grades: dict[JudgementArea, str],
    kind: str,
    title: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    inspector: str = "Ofsted",
    summary: str = "",
    activity: EvaluationActivity | None = None,
) -> Inspection:
    """Record an inspection or visit with its judgements: `grades` maps each JudgementArea to a
    grade, or to "" where the visit made no judgement on it. The baseline comes from the
    programme's data file, never from here."""
    _check_activity(programme.pk, activity)
    inspection = Inspection(
        programme=programme,
        is_baseline=False,
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date,
        inspector=inspector,
        summary=summary,
        activity=activity,
    )
    save(inspection)
    _judgements_set(inspection=inspection, grades=grades)
    return inspection


@action("can_edit_evaluation")
def inspection_update(
    *,
    inspection: Inspection,
    actor,
    grades: dict[JudgementArea, str],
    version: int | None = None,
    kind: str = KEEP,
    title: str = KEEP,
    start_date: dt.date = KEEP,
    end_date: dt.date | None = KEEP,
    inspector: str = KEEP,
    summary: str = KEEP,
    activity: EvaluationActivity | None = KEEP,
) -> Inspection:
    """Change an inspection and its judgements from the `version` its form was opened at
    (StaleEdit, with the judgements changed since, if someone saved it since). It stays in its
    programme: an activity of another is refused."""
    if activity is not KEEP:
        _check_activity(inspection.programme_id, activity)
    fields = given(
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date,
        inspector=inspector,
        summary=summary,
        activity=activity,
    )
    try:
        inspection = save_current(inspection, version, fields)
    except StaleEdit as exc:
        exc.changes = [*exc.changes, *_judgements_changed(exc.obj, version)]
        raise
    _judgements_set(inspection=inspection, grades=grades)
    return inspection


def _judgements_changed(inspection: Inspection, version: int) -> list[dict]:
    return rows_changed(
        inspection,
        version,
        Judgement,
        parent="inspection",
        key="area_id",
        value=lambda judgement: judgement.grade,
        label=lambda ids: {
            area.pk: f"Judgement: {area.title}"
            for area in JudgementArea.objects.filter(pk__in=ids).order_by("order", "pk")
        },
        show=lambda grade: dict(OfstedGrade.choices).get(grade, "(none)"),
    )


def _judgements_set(*, inspection, grades):
    existing = {j.area_id: j for j in inspection.judgements.all()}
    for area, grade in grades.items():
        judgement = existing.get(area.pk)
        if not grade:
            if judgement is not None:
                judgement.delete()
            continue
        if judgement is None:
            save(Judgement(inspection=inspection, area=area, grade=grade))
        elif judgement.grade != grade:
            judgement.grade = grade
            save(judgement, update_fields=["grade"])


AREA_THEMES_CHANGED = (
    "Someone changed the themes that answer this area after you opened the page, so nothing "
    "was saved. Check the themes below, then save again."
)


@action("can_edit_evaluation")
def judgement_area_themes_set(
    *,
    area: JudgementArea,
    programme: Programme,
    themes: Iterable[Theme],
    actor,
    opened_with: Iterable[int] | None = None,
) -> JudgementArea:
    """Say which of the programme's themes answer the judgement area (the readiness view gathers
    their evidence under it); another programme's themes on the area stay as they are. With
    `opened_with` (the ids of the programme's themes the page showed), refused if they have
    changed since, so one person's choice never silently undoes another's (a choice that is
    already so is done, and records nothing)."""
    themes = list(themes)
    check_themes(programme.pk, themes)
    area = JudgementArea.objects.select_for_update().get(pk=area.pk)
    mapped = list(area.themes.all())
    ours = {theme.pk for theme in mapped if theme.programme_id == programme.pk}
    if ours == {theme.pk for theme in themes}:
        return area  # already so (a second click of the same choice, say): nothing to record
    if opened_with is not None and set(opened_with) != ours:
        raise ValidationError(AREA_THEMES_CHANGED)
    others = [theme for theme in mapped if theme.programme_id != programme.pk]
    # One history entry for the change (a set would write one for its removals and another for
    # its additions), by the person, with the themes as they now stand.
    area.skip_history_when_saving = True
    try:
        area.themes.set([*others, *themes])
    finally:
        del area.skip_history_when_saving
    area.save()
    return area
