"""Every change to a theme's content goes through here: atomic, validated, keyword-only, and
recorded in the history with the user who made it.

Records that two people may edit at once (milestones, measures, risks, PIDs, highlight reports)
carry a `version`. An update names the version the editor started from; if the record has moved
on since, the update is refused with `StaleEdit`, which says what changed and who changed it.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from havering_improve import roles
from havering_improve.errors import AlreadyDone
from havering_improve.uploads import validate_upload

from . import selectors
from .charts import format_value
from .models import (
    PID,
    RAG,
    Comment,
    Evidence,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    PIDVersion,
    Risk,
    Theme,
)

# Fields that are bookkeeping, not content, when telling an editor what changed.
_NOT_CONTENT = {"id", "version", "theme", "submitted_at", "submitted_by", "created_by"}


class StaleEdit(Exception):
    """Someone saved the record after this editor opened it. `changes` lists
    {"field", "before", "after"}; `changed_by` and `changed_at` say who and when."""

    def __init__(self, obj, changes, changed_by=None, changed_at=None):
        self.obj = obj
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by.get_full_name() or changed_by.username if changed_by else "someone else"
        super().__init__(
            f"{who} changed this {obj._meta.verbose_name} after you opened it, so your changes "
            "were not saved. Check what changed, then save again if yours still apply."
        )


def _display(instance, field) -> str:
    value = getattr(instance, field.attname)
    if value in (None, ""):
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def changes_between(old, new) -> list[dict]:
    """The content fields that differ between two instances of a model, for people to read."""
    changes = []
    for field in new._meta.concrete_fields:
        if field.name in _NOT_CONTENT:
            continue
        if getattr(old, field.attname) != getattr(new, field.attname):
            changes.append(
                {
                    "field": str(field.verbose_name).capitalize(),
                    "before": _display(old, field),
                    "after": _display(new, field),
                }
            )
    return changes


def _lock_current(obj, expected_version: int):
    """The record re-read under a row lock; StaleEdit if it has moved past `expected_version`."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        seen = current.history.filter(version=expected_version).order_by("-history_date").first()
        latest = current.history.order_by("-history_date").select_related("history_user").first()
        changes = changes_between(seen.instance, current) if seen else []
        raise StaleEdit(
            current,
            changes,
            changed_by=latest.history_user if latest else None,
            changed_at=latest.history_date if latest else None,
        )
    return current


def _apply(obj, data: dict, user) -> None:
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj._history_user = user


def _require_edit(user, theme: Theme) -> None:
    if not roles.can_edit_theme(user, theme):
        raise PermissionDenied("Only this theme's project lead or the programme manager can.")


# Milestones ------------------------------------------------------------------------------------

MILESTONE_FIELDS = ["title", "owner", "due_date", "status", "completed_on"]


def _milestone_defaults(data: dict) -> dict:
    data = dict(data)
    if data.get("status") == Milestone.Status.DONE and not data.get("completed_on"):
        data["completed_on"] = timezone.localdate()
    return data


@transaction.atomic
def milestone_create(*, theme: Theme, user, data: dict) -> Milestone:
    _require_edit(user, theme)
    milestone = Milestone(theme=theme)
    _apply(milestone, _milestone_defaults(data), user)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, user, version: int, data: dict) -> Milestone:
    _require_edit(user, milestone.theme)
    current = _lock_current(milestone, version)
    _apply(current, _milestone_defaults(data), user)
    current.version += 1
    current.save()
    return current


# Measures and readings -------------------------------------------------------------------------

MEASURE_FIELDS = [
    "name",
    "definition",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
]


@transaction.atomic
def measure_create(*, theme: Theme, user, data: dict) -> Measure:
    _require_edit(user, theme)
    order = (Measure.objects.filter(theme=theme).aggregate(m=Max("order"))["m"] or 0) + 1
    measure = Measure(theme=theme, order=order)
    _apply(measure, data, user)
    measure.save()
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, user, version: int, data: dict) -> Measure:
    _require_edit(user, measure.theme)
    current = _lock_current(measure, version)
    _apply(current, data, user)
    current.version += 1
    current.save()
    return current


@transaction.atomic
def measure_reading_add(
    *, measure: Measure, user, value, date: dt.date, source: str = "", note: str = ""
) -> MeasureReading:
    _require_edit(user, measure.theme)
    if date > timezone.localdate():
        raise ValidationError({"date": "The date of a reading cannot be in the future"})
    reading = MeasureReading(
        measure=measure, value=value, date=date, source=source, note=note, recorded_by=user
    )
    if measure.unit == Measure.Unit.PERCENT and not (0 <= value <= 100):
        raise ValidationError({"value": "A percentage must be between 0 and 100"})
    reading.full_clean()
    reading._history_user = user
    reading.save()
    return reading


# Risks -----------------------------------------------------------------------------------------

RISK_FIELDS = [
    "kind",
    "description",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "status",
    "review_date",
    "escalated",
]


@transaction.atomic
def risk_create(*, theme: Theme, user, data: dict) -> Risk:
    _require_edit(user, theme)
    risk = Risk(theme=theme)
    _apply(risk, data, user)
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, user, version: int, data: dict) -> Risk:
    _require_edit(user, risk.theme)
    current = _lock_current(risk, version)
    _apply(current, data, user)
    current.version += 1
    current.save()
    return current


# Project initiation documents ------------------------------------------------------------------


def pid_for_theme(theme: Theme) -> PID:
    """The theme's PID, created empty the first time anyone asks."""
    pid, _ = PID.objects.get_or_create(theme=theme)
    return pid


@transaction.atomic
def pid_update(*, pid: PID, user, version: int, data: dict) -> PID:
    """Save the PID's text. An approved or returned PID becomes a draft again; one waiting for
    approval cannot change until the programme manager approves or returns it."""
    _require_edit(user, pid.theme)
    current = _lock_current(pid, version)
    if current.status == PID.Status.SUBMITTED:
        raise ValidationError(
            "This PID is waiting for the programme manager's approval. It can be edited again "
            "once it is approved or returned."
        )
    _apply(current, {k: data[k] for k in PID.TEXT_FIELDS if k in data}, user)
    current.status = PID.Status.DRAFT
    current.version += 1
    current.save()
    return current


@transaction.atomic
def pid_submit(*, pid: PID, user) -> PID:
    _require_edit(user, pid.theme)
    current = _lock_current(pid, None)
    if current.status not in (PID.Status.DRAFT, PID.Status.RETURNED):
        raise ValidationError(f"This PID is {current.get_status_display().lower()} already.")
    if not current.aims.strip():
        raise ValidationError({"aims": "Write the theme's aims before submitting the PID"})
    current.status = PID.Status.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = user
    current.version += 1
    current._history_user = user
    current.save()
    return current


def pid_snapshot(theme: Theme) -> dict:
    """The structured parts of the PID as they stand: measures, milestones, risks, team."""
    return {
        "measures": [
            {
                "name": m.name,
                "definition": m.definition,
                "baseline": f"{format_value(m, m.baseline_value)} on {m.baseline_date:%-d %B %Y}",
                "target": f"{format_value(m, m.target_value)} by {m.target_date:%-d %B %Y}",
                "direction": m.get_direction_display(),
            }
            for m in Measure.objects.filter(theme=theme).order_by("order", "pk")
        ],
        "milestones": [
            {
                "title": m.title,
                "owner": m.owner,
                "due": f"{m.due_date:%-d %B %Y}",
                "status": m.get_status_display(),
            }
            for m in Milestone.objects.filter(theme=theme).order_by("due_date", "pk")
        ],
        "risks": [
            {
                "kind": r.get_kind_display(),
                "description": r.description,
                "score": r.score,
                "owner": r.owner,
                "mitigation": r.mitigation,
                "status": r.get_status_display(),
            }
            for r in Risk.objects.filter(theme=theme).order_by("pk")
        ],
        "team": [
            {
                "name": t.user.get_full_name() or t.user.username,
                "kind": t.get_kind_display(),
                "organisation": t.organisation,
            }
            for t in theme.memberships.select_related("user").order_by("organisation", "pk")
        ],
    }


@transaction.atomic
def pid_approve(*, pid: PID, user, note: str = "") -> PIDVersion:
    """Freeze the submitted PID as the next numbered approved version."""
    if not roles.can_approve_pid(user):
        raise PermissionDenied("Only the programme manager approves a PID.")
    current = _lock_current(pid, None)
    if current.status != PID.Status.SUBMITTED:
        raise ValidationError("Only a PID submitted for approval can be approved.")
    number = (
        PIDVersion.objects.filter(theme=current.theme).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = PIDVersion(
        theme=current.theme,
        number=number,
        **{field: getattr(current, field) for field in PID.TEXT_FIELDS},
        snapshot=pid_snapshot(current.theme),
        submitted_by=current.submitted_by,
        approved_at=timezone.now(),
        approved_by=user,
        approval_note=note,
    )
    version._history_user = user
    version.save()
    current.status = PID.Status.APPROVED
    current.review_comments = ""
    current.version += 1
    current._history_user = user
    current.save()
    return version


@transaction.atomic
def pid_return(*, pid: PID, user, comments: str) -> PID:
    if not roles.can_approve_pid(user):
        raise PermissionDenied("Only the programme manager returns a PID.")
    if not comments.strip():
        raise ValidationError({"comments": "Say what needs to change before it can be approved"})
    current = _lock_current(pid, None)
    if current.status != PID.Status.SUBMITTED:
        raise ValidationError("Only a PID submitted for approval can be returned.")
    current.status = PID.Status.RETURNED
    current.review_comments = comments
    current.version += 1
    current._history_user = user
    current.save()
    return current


# Highlight reports -----------------------------------------------------------------------------

REPORT_FIELDS = [
    "overall_rag",
    "overall_reason",
    "status_summary",
    *[f"{area}_{part}" for area in HighlightReport.AREAS for part in ("rag", "reason")],
    "achievements",
    "next_period",
    "path_to_green",
    "key_risks_issues",
    "decisions_needed",
    "lessons",
]


def _lines(items) -> str:
    return "\n".join(f"- {item}" for item in items)


def highlight_report_prefill(*, theme: Theme, period: dt.date) -> dict:
    """Starting text for a period's report from the theme's live data: milestones done this
    period and due next, how each measure moved, the open risks, and the ratings and reasons of
    the last submitted report for the areas live data cannot judge."""
    on = timezone.localdate()
    following = selectors.next_period(period)
    after = selectors.next_period(following)
    milestones = list(Milestone.objects.filter(theme=theme).order_by("due_date", "pk"))
    done = [
        f"{m.title} (done {m.completed_on:%-d %B %Y})"
        for m in milestones
        if m.status == Milestone.Status.DONE
        and m.completed_on
        and period <= m.completed_on < following
    ]
    due_next = [
        f"{m.title} (due {m.due_date:%-d %B %Y}, {m.owner or 'no owner'})"
        for m in milestones
        if m.status != Milestone.Status.DONE and following <= m.due_date < after
    ]
    overdue = [m for m in milestones if m.is_overdue(on)]
    measure_lines = []
    for measure in selectors.measures_for_theme(theme):
        if measure.latest_value is None:
            measure_lines.append(f"{measure.name}: no readings yet")
            continue
        change = ""
        if measure.previous_value is not None:
            change = f", from {format_value(measure, measure.previous_value)}"
        measure_lines.append(
            f"{measure.name}: {format_value(measure, measure.latest_value)} on "
            f"{measure.latest_date:%-d %B %Y}{change} ({measure.status.label.lower()})"
        )
    risks = sorted(
        Risk.objects.filter(theme=theme, status=Risk.Status.OPEN),
        key=lambda r: (-r.score, r.pk),
    )
    data = {
        "status_summary": "Measures of success:\n" + _lines(measure_lines) if measure_lines else "",
        "achievements": _lines(done),
        "next_period": _lines(due_next),
        "key_risks_issues": _lines(
            f"{r.get_kind_display()}: {r.description} (score {r.score}"
            f"{', escalated' if r.escalated else ''})"
            for r in risks[:6]
        ),
    }
    if overdue:
        data["time_rag"] = RAG.RED if len(overdue) > 1 else RAG.AMBER
        data["time_reason"] = f"{len(overdue)} milestone{'s' if len(overdue) > 1 else ''} "
        data["time_reason"] += "overdue: " + "; ".join(m.title for m in overdue)
    else:
        data["time_rag"] = RAG.GREEN
        data["time_reason"] = "No milestone is overdue."
    top = risks[0].score if risks else 0
    data["risk_rag"] = RAG.RED if top >= 15 else RAG.AMBER if top >= 8 else RAG.GREEN
    data["risk_reason"] = (
        f"Highest open risk scores {top}: {risks[0].description}" if risks else "No open risks."
    )
    last = selectors.latest_submitted_report(theme)
    if last is not None:
        for area in ("cost", "scope", "quality", "benefits"):
            data[f"{area}_rag"] = getattr(last, f"{area}_rag")
            data[f"{area}_reason"] = getattr(last, f"{area}_reason")
    return data


@transaction.atomic
def highlight_report_start(*, theme: Theme, period: dt.date, user) -> HighlightReport:
    """A draft report for the period, pre-filled from live data. Refused if the period has one."""
    _require_edit(user, theme)
    period = selectors.period_start(period)
    if existing := _report_for(theme, period):
        raise AlreadyDone(f"There is already a report for {period:%B %Y}.", existing)
    report = HighlightReport(theme=theme, period=period, created_by=user)
    try:
        with transaction.atomic():
            _apply(report, highlight_report_prefill(theme=theme, period=period), user)
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


@transaction.atomic
def highlight_report_update(
    *, report: HighlightReport, user, version: int, data: dict
) -> HighlightReport:
    _require_edit(user, report.theme)
    current = _lock_current(report, version)
    if current.is_locked:
        raise ValidationError(
            "This report was submitted and is locked: it is what the Board saw. "
            "Start a correction to change it."
        )
    _apply(current, {k: data[k] for k in REPORT_FIELDS if k in data}, user)
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
    not_green = [a for a in report.areas() if a["rag"] and a["rag"] != RAG.GREEN]
    if (not_green or report.overall_rag in (RAG.RED, RAG.AMBER)) and not (
        report.path_to_green.strip()
    ):
        problems["path_to_green"] = "Say how the theme gets back to green"
    try:
        report.clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            problems.setdefault(field, messages[0])
    return problems


@transaction.atomic
def highlight_report_submit(*, report: HighlightReport, user) -> HighlightReport:
    """Lock the report as what the Board sees for its period."""
    _require_edit(user, report.theme)
    current = _lock_current(report, None)
    if current.is_locked:
        raise ValidationError("This report has been submitted already.")
    problems = highlight_report_problems(current)
    if problems:
        raise ValidationError(problems)
    current.status = HighlightReport.Status.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = user
    current.version += 1
    current._history_user = user
    current.save()
    return current


@transaction.atomic
def highlight_report_correct(*, report: HighlightReport, user, reason: str) -> HighlightReport:
    """A new draft revision of a submitted report, with the reason; the submitted one stays."""
    _require_edit(user, report.theme)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the report needs correcting"})
    current = _lock_current(report, None)
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
        created_by=user,
        **{field: getattr(current, field) for field in REPORT_FIELDS},
    )
    revision._history_user = user
    revision.save()
    return revision


# Comments and evidence -------------------------------------------------------------------------


def _require_comment(user, theme: Theme) -> None:
    if not roles.can_comment_on_theme(user, theme):
        raise PermissionDenied("Only this theme's team can comment on it or add evidence.")


def _check_target(theme, milestone, measure) -> None:
    for target in (milestone, measure):
        if target is not None and target.theme_id != theme.pk:
            raise ValidationError("That belongs to another theme.")


@transaction.atomic
def comment_add(*, theme: Theme, user, body: str, milestone=None, measure=None) -> Comment:
    _require_comment(user, theme)
    _check_target(theme, milestone, measure)
    if not body.strip():
        raise ValidationError({"body": "Write your comment"})
    comment = Comment(theme=theme, milestone=milestone, measure=measure, author=user, body=body)
    comment._history_user = user
    comment.save()
    return comment


@transaction.atomic
def evidence_add(
    *, theme: Theme, user, title: str, upload, milestone=None, measure=None
) -> Evidence:
    _require_comment(user, theme)
    _check_target(theme, milestone, measure)
    try:  # by content, size and name, as for every upload
        kind = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    evidence = Evidence(
        theme=theme,
        milestone=milestone,
        measure=measure,
        title=title.strip() or upload.name,
        original_name=upload.name[:255],
        kind=kind,
        size=upload.size,
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence._history_user = user
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


# Team ------------------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(*, theme: Theme, user, member, kind: str, organisation: str = ""):
    """Put `member` on the theme's team (practitioner, manager or partner representative)."""
    from .models import TeamMembership

    _require_edit(user, theme)
    if TeamMembership.objects.filter(theme=theme, user=member).exists():
        raise ValidationError({"member": "That person is already on the team"})
    if kind == TeamMembership.Kind.PARTNER and not organisation.strip():
        raise ValidationError({"organisation": "Say which organisation the partner represents"})
    membership = TeamMembership(theme=theme, user=member, kind=kind, organisation=organisation)
    membership.full_clean()
    membership._history_user = user
    membership.save()
    return membership


@transaction.atomic
def team_member_remove(*, membership, user) -> None:
    _require_edit(user, membership.theme)
    membership._history_user = user
    membership.delete()
