"""Planning an evaluation activity, and changing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser

from havering_improve.actions import KEEP, action, given, save_current
from programme.models import Programme
from themes.models import Theme

from ..models import EvaluationActivity, EvaluationStrand
from ._common import check_themes, save


@action("can_edit_evaluation")
def activity_create(
    *,
    programme: Programme,
    actor,
    strand: EvaluationStrand,
    kind: str,
    title: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    completed_on: dt.date | None = None,
    description: str = "",
    lead: AbstractBaseUser | None = None,
    lead_name: str = "",
    partner_authorities: str = "",
    themes: Iterable[Theme] = (),
) -> EvaluationActivity:
    """Put an activity in the programme's evaluation plan, under one of its strands (the
    activity's check refuses another programme's strand), covering themes of the programme."""
    themes = list(themes)
    check_themes(programme.pk, themes)
    activity = EvaluationActivity(
        programme=programme,
        strand=strand,
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date,
        completed_on=completed_on,
        description=description,
        lead=lead,
        lead_name=lead_name,
        partner_authorities=partner_authorities,
    )
    return save(activity, m2m={"themes": themes})


@action("can_edit_evaluation")
def activity_update(
    *,
    activity: EvaluationActivity,
    actor,
    version: int | None = None,
    strand: EvaluationStrand = KEEP,
    kind: str = KEEP,
    title: str = KEEP,
    start_date: dt.date = KEEP,
    end_date: dt.date | None = KEEP,
    completed_on: dt.date | None = KEEP,
    description: str = KEEP,
    lead: AbstractBaseUser | None = KEEP,
    lead_name: str = KEEP,
    partner_authorities: str = KEEP,
    themes: Iterable[Theme] | None = None,
) -> EvaluationActivity:
    """Change an activity from the `version` its form was opened at (StaleEdit if someone saved
    it since; with no version, the application's own change). It stays in its programme: a
    strand or theme of another is refused."""
    fields = given(
        strand=strand,
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date,
        completed_on=completed_on,
        description=description,
        lead=lead,
        lead_name=lead_name,
        partner_authorities=partner_authorities,
    )
    m2m = None
    if themes is not None:
        themes = list(themes)
        check_themes(activity.programme_id, themes)
        m2m = {"themes": themes}
    current = save_current(activity, version, fields)
    return save(current, update_fields=[], m2m=m2m)
