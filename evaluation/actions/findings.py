"""Findings of an evaluation activity: recording one and its response, its evidence, and taking
an accepted response onto a theme as a milestone or a risk.

Who may do what is asked of `havering_improve.roles`: a project lead records findings on the
themes they lead (`can_set_finding_themes`) and takes a finding only onto a theme they lead
(`can_take_finding_onto_theme`). The milestone or risk is the themes app's: it is made by its
own action, so the theme's rules and checks apply to it as to one added on the theme's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from havering_improve import roles, uploads
from havering_improve.actions import KEEP, action, given, lock_current
from havering_improve.uploads import stored_name, validate_upload
from themes.actions import records as theme_actions
from themes.models import Milestone, Risk, Theme

from ..models import EvaluationActivity, Finding, FindingEvidence, JudgementArea
from ._common import check_themes, save


def _check_chosen(activity: EvaluationActivity, themes: list[Theme]) -> None:
    if not themes:
        raise ValidationError({"themes": "Select the themes it concerns"})
    check_themes(activity.programme_id, themes)


@action("can_add_finding")
def finding_create(
    *,
    activity: EvaluationActivity,
    actor,
    themes: Iterable[Theme],
    kind: str,
    title: str,
    detail: str = "",
    area: JudgementArea | None = None,
    recorded_on: dt.date | None = None,
    response: str = Finding.Response.AWAITING,
    response_note: str = "",
    action_owner: str = "",
    action_due: dt.date | None = None,
) -> Finding:
    """Record a finding of the activity on themes of its programme (`recorded_on` today unless
    given); a project lead, on at least one theme they lead."""
    themes = list(themes)
    _check_chosen(activity, themes)
    roles.require("can_set_finding_themes", actor, themes)
    finding = Finding(
        activity=activity,
        kind=kind,
        title=title,
        detail=detail,
        area=area,
        response=response,
        response_note=response_note,
        action_owner=action_owner,
        action_due=action_due,
    )
    if recorded_on is not None:
        finding.recorded_on = recorded_on
    return save(finding, m2m={"themes": themes})


@action("can_edit_finding_record", on="finding")
def finding_update(
    *,
    finding: Finding,
    actor,
    version: int,
    kind: str = KEEP,
    title: str = KEEP,
    detail: str = KEEP,
    area: JudgementArea | None = KEEP,
    recorded_on: dt.date = KEEP,
    response: str = KEEP,
    response_note: str = KEEP,
    action_owner: str = KEEP,
    action_due: dt.date | None = KEEP,
    themes: Iterable[Theme] | None = None,
) -> Finding:
    """Change a finding or its response, from the version the editor opened (StaleEdit if
    someone else saved it since). It stays with its activity; a project lead keeps it on a
    theme they lead, and leaves on it the themes other leads lead."""
    current = lock_current(finding, version)
    fields = given(
        kind=kind,
        title=title,
        detail=detail,
        area=area,
        recorded_on=recorded_on,
        response=response,
        response_note=response_note,
        action_owner=action_owner,
        action_due=action_due,
    )
    m2m = None
    if themes is not None:
        themes = list(themes)
        _check_chosen(current.activity, themes)
        roles.require("can_set_finding_themes", actor, themes, current.themes.all())
        m2m = {"themes": themes}
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    return save(current, update_fields=[*fields, "version"], m2m=m2m)


@action("can_edit_finding_record", on="finding")
def finding_evidence_add(*, finding: Finding, upload, name: str, actor) -> FindingEvidence:
    kind = validate_upload(upload)
    # The name shown: the one given, else the file's; without control or bidirectional
    # characters, and fitting its field.
    limit = FindingEvidence._meta.get_field("name").max_length
    shown = uploads.clean_name(name)[:limit].strip() or uploads.display_name(upload.name, limit)
    evidence = FindingEvidence(finding=finding, name=shown, uploaded_by=actor)
    evidence.full_clean(exclude=["file"])  # a refusal writes no file
    return uploads.save_with_file(
        evidence.file, stored_name(upload.name, kind), upload, lambda: save(evidence)
    )


def _check_action_theme(finding: Finding, theme: Theme) -> None:
    if not finding.needs_response:
        raise ValidationError("A strength needs no action.")
    if finding.response != Finding.Response.ACCEPTED:
        raise ValidationError("Accept the finding, with an owner and due date, first.")
    if not finding.themes.filter(pk=theme.pk).exists():
        raise ValidationError({"theme": "Select one of the themes the finding concerns."})


def _onto_theme(finding: Finding, theme: Theme, field: str, make, *, actor, already: str):
    """The record `make(finding)` makes on the theme (by the themes app's action), with the
    finding linked to it (`field`: "milestone" or "risk"), once: refused with `already` if the
    finding has one."""
    roles.require("can_take_finding_onto_theme", actor, theme)
    finding = lock_current(finding, None, required=False)  # as it stands, not as first loaded
    _check_action_theme(finding, theme)
    if getattr(finding, f"{field}_id"):
        raise ValidationError(already)
    record = make(finding)
    setattr(finding, field, record)
    save(finding, update_fields=[field])
    return record


@action("can_edit_finding_record", on="finding")
def finding_to_milestone(*, finding: Finding, theme: Theme, actor) -> Milestone:
    """Make the accepted response a milestone on the theme, so it is tracked with the plan."""
    return _onto_theme(
        finding,
        theme,
        "milestone",
        lambda f: theme_actions.milestone_create.within(
            theme=theme,
            actor=actor,
            title=f.title[:300],
            owner=f.action_owner,
            due_date=f.action_due,
        ),
        actor=actor,
        already="This finding is already a milestone.",
    )


@action("can_edit_finding_record", on="finding")
def finding_to_risk(*, finding: Finding, theme: Theme, likelihood: int, impact: int, actor) -> Risk:
    """Put the finding on the theme's risk log, with the response as its mitigation."""
    return _onto_theme(
        finding,
        theme,
        "risk",
        lambda f: theme_actions.risk_create.within(
            theme=theme,
            actor=actor,
            description=f.title,
            likelihood=likelihood,
            impact=impact,
            owner=f.action_owner,
            mitigation=f.response_note,
            review_date=f.action_due,
        ),
        actor=actor,
        already="This finding is already on a risk log.",
    )
