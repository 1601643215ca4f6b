"""A theme's monthly highlight reports: started from the theme's live data, written, submitted
(which locks it as what the Board sees for its month) and corrected as a new revision with its
reason.

Beside the actions is what stops a report being submitted (`highlight_report_problems`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from havering_improve.actions import KEEP, Keep, StaleEdit, action, kept, lock_current
from havering_improve.errors import AlreadyDone

from .. import selectors
from ..models import HighlightReport, Theme
from ..prefill import highlight_report_prefill
from .common import mark_submitted


@action("can_edit_theme", on="theme")
def highlight_report_start(*, theme: Theme, period: dt.date, actor) -> HighlightReport:
    """A draft report for the period, pre-filled from live data. Refused if the period has one."""
    period = selectors.period_start(period)
    if existing := _report_for(theme, period):
        raise AlreadyDone(f"There is already a report for {period:%B %Y}.", existing)
    # The starting text: some of the report's content fields, by name.
    prefill = highlight_report_prefill(theme=theme, period=period)
    report = HighlightReport(theme=theme, period=period, created_by=actor, **prefill)
    try:
        with transaction.atomic():
            report.full_clean()
            report.save()
    except (IntegrityError, ValidationError):
        # Started a moment ago by a second click, or by someone else: theirs stands.
        if existing := _report_for(theme, period):
            raise AlreadyDone(f"There is already a report for {period:%B %Y}.", existing) from None
        raise
    return report


def _report_for(theme: Theme, period: dt.date) -> HighlightReport | None:
    """The month's report as it stands: its newest revision."""
    return HighlightReport.objects.filter(theme=theme, period=period).order_by("-revision").first()


@action("can_edit_theme", on="report.theme")
def highlight_report_update(
    *,
    report: HighlightReport,
    actor,
    version: int,
    overall_rag: str | Keep = KEEP,
    overall_reason: str | Keep = KEEP,
    status_summary: str | Keep = KEEP,
    time_rag: str | Keep = KEEP,
    time_reason: str | Keep = KEEP,
    cost_rag: str | Keep = KEEP,
    cost_reason: str | Keep = KEEP,
    scope_rag: str | Keep = KEEP,
    scope_reason: str | Keep = KEEP,
    quality_rag: str | Keep = KEEP,
    quality_reason: str | Keep = KEEP,
    benefits_rag: str | Keep = KEEP,
    benefits_reason: str | Keep = KEEP,
    risk_rag: str | Keep = KEEP,
    risk_reason: str | Keep = KEEP,
    achievements: str | Keep = KEEP,
    next_period: str | Keep = KEEP,
    path_to_green: str | Keep = KEEP,
    key_risks_issues: str | Keep = KEEP,
    decisions_needed: str | Keep = KEEP,
    lessons: str | Keep = KEEP,
) -> HighlightReport:
    """Save the report's ratings, reasons and sections (those given). A submitted report is
    locked: a correction changes it."""
    current = lock_current(report, version)
    if current.is_locked:
        raise ValidationError(
            "This report was submitted and is locked. Start a correction to change it."
        )
    current.overall_rag = kept(overall_rag, current.overall_rag)
    current.overall_reason = kept(overall_reason, current.overall_reason)
    current.status_summary = kept(status_summary, current.status_summary)
    current.time_rag = kept(time_rag, current.time_rag)
    current.time_reason = kept(time_reason, current.time_reason)
    current.cost_rag = kept(cost_rag, current.cost_rag)
    current.cost_reason = kept(cost_reason, current.cost_reason)
    current.scope_rag = kept(scope_rag, current.scope_rag)
    current.scope_reason = kept(scope_reason, current.scope_reason)
    current.quality_rag = kept(quality_rag, current.quality_rag)
    current.quality_reason = kept(quality_reason, current.quality_reason)
    current.benefits_rag = kept(benefits_rag, current.benefits_rag)
    current.benefits_reason = kept(benefits_reason, current.benefits_reason)
    current.risk_rag = kept(risk_rag, current.risk_rag)
    current.risk_reason = kept(risk_reason, current.risk_reason)
    current.achievements = kept(achievements, current.achievements)
    current.next_period = kept(next_period, current.next_period)
    current.path_to_green = kept(path_to_green, current.path_to_green)
    current.key_risks_issues = kept(key_risks_issues, current.key_risks_issues)
    current.decisions_needed = kept(decisions_needed, current.decisions_needed)
    current.lessons = kept(lessons, current.lessons)
    current.full_clean()
    current.version += 1
    current.save()
    return current


def highlight_report_problems(report: HighlightReport) -> dict[str, str]:
    """What stops the report being submitted, by field."""
    problems = {}
    if not report.overall_rag:
        problems["overall_rag"] = "Choose the overall status"
    for area in report.areas():
        if not area["rag"]:
            problems[f"{area['key']}_rag"] = f"Choose a rating for {area['label'].lower()}"
    if not report.status_summary.strip():
        problems["status_summary"] = "Write the status summary"
    if report.needs_path_to_green and not report.path_to_green.strip():
        problems["path_to_green"] = "Say how the theme gets back to green"
    try:
        report.clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            problems.setdefault(field, messages[0])
    return problems


@action("can_edit_theme", on="report.theme")
def highlight_report_submit(*, report: HighlightReport, actor, version: int) -> HighlightReport:
    """Lock the report as what the Board sees for its period."""
    try:
        current = lock_current(report, version)
    except StaleEdit as exc:
        if not exc.obj.is_locked:
            raise
        current = exc.obj  # submitted a moment ago (a double click, or a second person)
    if current.is_locked:
        raise AlreadyDone("This report has been submitted already.", current)
    problems = highlight_report_problems(current)
    if problems:
        raise ValidationError(problems)
    submitted = mark_submitted(current, actor)
    submitted.save()
    return submitted


@action("can_edit_theme", on="report.theme")
def highlight_report_correct(*, report: HighlightReport, actor, reason: str) -> HighlightReport:
    """A new draft revision of a submitted report, with the reason; the submitted one stays."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the report needs correcting"})
    current = lock_current(report, None, required=False)
    if not current.is_locked:
        raise ValidationError("Only a submitted report is corrected; edit the draft instead.")
    siblings = HighlightReport.objects.filter(theme=current.theme, period=current.period)
    if siblings.filter(status=HighlightReport.Status.DRAFT).exists():
        raise ValidationError("A correction of this report is already in draft.")
    latest = siblings.aggregate(n=Max("revision"))["n"]
    revision = HighlightReport(
        theme=current.theme,
        period=current.period,
        revision=latest + 1,
        revision_reason=reason,
        created_by=actor,
        **{field: getattr(current, field) for field in HighlightReport.CONTENT_FIELDS},
    )
    revision.save()
    return revision
