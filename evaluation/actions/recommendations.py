"""An inspection's recommendations, each mapped to the themes that answer it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from havering_improve.actions import KEEP, action, given, save_current
from themes.models import Theme

from ..models import Inspection, JudgementArea, Recommendation
from ._common import check_themes, save


def _check_answered(programme_id: int, themes: list[Theme]) -> None:
    if not themes:
        raise ValidationError({"themes": "Select the themes that answer this recommendation."})
    check_themes(programme_id, themes)


@action("can_edit_evaluation")
def recommendation_add(
    *,
    inspection: Inspection,
    actor,
    themes: Iterable[Theme],
    text: str,
    area: JudgementArea | None = None,
    status: str = Recommendation.Status.OPEN,
    met_on: dt.date | None = None,
) -> Recommendation:
    """Add a recommendation to the inspection, after those it has, answered by themes of its
    programme."""
    themes = list(themes)
    _check_answered(inspection.programme_id, themes)
    recommendation = Recommendation(
        inspection=inspection,
        text=text,
        area=area,
        status=status,
        met_on=met_on,
        order=inspection.recommendations.count() + 1,
    )
    return save(recommendation, m2m={"themes": themes})


@action("can_edit_evaluation")
def recommendation_update(
    *,
    recommendation: Recommendation,
    actor,
    themes: Iterable[Theme],
    version: int | None = None,
    text: str = KEEP,
    area: JudgementArea | None = KEEP,
    status: str = KEEP,
    met_on: dt.date | None = KEEP,
) -> Recommendation:
    """Change a recommendation from the `version` its form was opened at. It stays with its
    inspection, answered by themes of that inspection's programme."""
    themes = list(themes)
    _check_answered(recommendation.inspection.programme_id, themes)
    fields = given(text=text, area=area, status=status, met_on=met_on)
    recommendation = save_current(recommendation, version, fields)
    return save(recommendation, update_fields=[], m2m={"themes": themes})
