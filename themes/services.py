"""Every change to a theme's content: actions (`havering_improve.actions`), so each is atomic,
permission-checked, keyword-only and in the history with the person who made it.

Records that two people may edit at once (milestones, measures, risks, PIDs, highlight reports)
carry a `version`. An update, and a state change such as submitting, names the version the
editor started from; if the record has moved on since, it is refused with `StaleEdit`, which
says what changed and who changed it.

Beside the actions are the reads they are made from: a PID's snapshot of its measures,
milestones, risks and team (`pid_snapshot`), a new report's starting text
(`prefill.highlight_report_prefill`) and what stops a report being submitted
(`highlight_report_problems`).
"""

import datetime as dt
import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from havering_improve import outbox, roles
from havering_improve.actions import StaleEdit, action, lock_current
from havering_improve.errors import AlreadyDone
from havering_improve.uploads import clean_name, display_name, save_with_file, validate_upload

from . import selectors
from .charts import format_value
from .models import (
    PID,
    Comment,
    Evidence,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    PIDVersion,
    Risk,
    TeamMembership,
    Theme,
)
from .prefill import highlight_report_prefill

__all__ = ["StaleEdit"]

logger = logging.getLogger(__name__)


def _apply(obj, data: dict) -> None:
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()


def _create(record, data: dict):
    """Save a new record with the form's data, once it is valid."""
    _apply(record, data)
    record.save()
    return record


def _update(record, version: int, data: dict):
    """Save the form's data over the record, refused with StaleEdit if it moved on since
    `version`."""
    current = lock_current(record, version)
    _apply(current, data)
    current.version += 1
    current.save()
    return current


def _submit(current, actor):
    """Mark a PID or highlight report submitted by `actor`, now, as its next version."""
    current.status = type(current).Status.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = actor
    current.version += 1
    current.save()
    return current


# Milestones ------------------------------------------------------------------------------------


def _milestone_defaults(data: dict) -> dict:
    data = dict(data)
    if data.get("status") == Milestone.Status.DONE and not data.get("completed_on"):
        data["completed_on"] = timezone.localdate()
    return data


@action("can_edit_theme", on="theme")
def milestone_create(*, theme: Theme, actor, **fields) -> Milestone:
    return _create(Milestone(theme=theme), _milestone_defaults(fields))


@action("can_edit_theme", on="milestone.theme")
def milestone_update(*, milestone: Milestone, actor, version: int, **fields) -> Milestone:
    return _update(milestone, version, _milestone_defaults(fields))


# Measures and readings -------------------------------------------------------------------------


@action("can_edit_theme", on="theme")
def measure_create(*, theme: Theme, actor, **fields) -> Measure:
    order = (Measure.objects.filter(theme=theme).aggregate(m=Max("order"))["m"] or 0) + 1
    return _create(Measure(theme=theme, order=order), fields)


@action("can_edit_theme", on="measure.theme")
def measure_update(*, measure: Measure, actor, version: int, **fields) -> Measure:
    return _update(measure, version, fields)


@action("can_edit_theme", on="measure.theme")
def measure_reading_add(
    *, measure: Measure, actor, value, date: dt.date, source: str = "", note: str = ""
) -> MeasureReading:
    if date > timezone.localdate():
        raise ValidationError({"date": "The date of a reading cannot be in the future"})
    reading = MeasureReading(
        measure=measure, value=value, date=date, source=source, note=note, recorded_by=actor
    )
    if measure.unit == Measure.Unit.PERCENT and not (0 <= value <= 100):
        raise ValidationError({"value": "A percentage must be between 0 and 100"})
    reading.full_clean()
    reading.save()
    return reading


# Risks -----------------------------------------------------------------------------------------


@action("can_edit_theme", on="theme")
def risk_create(*, theme: Theme, actor, **fields) -> Risk:
    return _create(Risk(theme=theme), fields)


@action("can_edit_theme", on="risk.theme")
def risk_update(*, risk: Risk, actor, version: int, **fields) -> Risk:
    return _update(risk, version, fields)


# Project initiation documents ------------------------------------------------------------------


@action("can_edit_theme", on="pid.theme")
def pid_update(*, pid: PID, actor, version: int | None, **fields) -> PID:
    """Save the PID's text. An approved or returned PID becomes a draft again; one waiting for
    approval cannot change until the programme manager approves or returns it. The first save
    creates it (there is nothing yet to be stale against)."""
    current = lock_current(pid, version) if pid.pk else pid
    if current.status == PID.Status.SUBMITTED:
        raise ValidationError(
            "This PID is waiting for the programme manager's approval. It can be edited again "
            "once it is approved or returned."
        )
    _apply(current, {k: fields[k] for k in PID.TEXT_FIELDS if k in fields})
    current.status = PID.Status.DRAFT
    current.version += 1
    current.save()
    return current


@action("can_edit_theme", on="pid.theme")
def pid_submit(*, pid: PID, actor, version: int) -> PID:
    if not pid.pk:
        raise ValidationError({"aims": "Write the theme's aims before submitting the PID"})
    current = lock_current(pid, version)
    if current.status not in (PID.Status.DRAFT, PID.Status.RETURNED):
        raise ValidationError(f"This PID is {current.get_status_display().lower()} already.")
    if not current.aims.strip():
        raise ValidationError({"aims": "Write the theme's aims before submitting the PID"})
    submitted = _submit(current, actor)
    _tell(submitted, PID_SUBMITTED)
    return submitted


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
            {**r.snapshot(), "status": r.get_status_display()}
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


def pid_fingerprint(pid: PID, snapshot: dict | None = None) -> str:
    """Names exactly what approving the PID would freeze: its text and the theme's measures,
    milestones, risks and team (`snapshot`, or as they stand). The review page sends it with the
    decision, so the programme manager decides on what they read, never on a later change."""
    frozen = {
        "text": {field: getattr(pid, field) for field in PID.TEXT_FIELDS},
        "snapshot": pid_snapshot(pid.theme) if snapshot is None else snapshot,
    }
    return hashlib.sha256(json.dumps(frozen, sort_keys=True).encode()).hexdigest()[:32]


PID_CHANGED_SINCE_READ = (
    "The PID changed after you opened this page (its text, or the theme's milestones, "
    "measures, risks or team), so nothing was decided. Read what it holds now, below, and "
    "decide again."
)


def _check_read(current: PID, fingerprint: str, snapshot: dict) -> None:
    """Refuse a decision on a PID that is no longer what the programme manager read."""
    if not fingerprint or fingerprint != pid_fingerprint(current, snapshot):
        raise ValidationError(PID_CHANGED_SINCE_READ, code="pid_changed")


@action("can_approve_pid")
def pid_approve(*, pid: PID, actor, version: int, fingerprint: str, note: str = "") -> PIDVersion:
    """Freeze the submitted PID as the next numbered approved version: exactly what the
    programme manager read (`fingerprint`, from `pid_fingerprint`); refused if it has changed."""
    current = lock_current(pid, version)
    if current.status != PID.Status.SUBMITTED:
        raise ValidationError("Only a PID submitted for approval can be approved.")
    snapshot = pid_snapshot(current.theme)
    _check_read(current, fingerprint, snapshot)
    number = (
        PIDVersion.objects.filter(theme=current.theme).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = PIDVersion(
        theme=current.theme,
        number=number,
        **{field: getattr(current, field) for field in PID.TEXT_FIELDS},
        snapshot=snapshot,
        submitted_by=current.submitted_by,
        approved_at=timezone.now(),
        approved_by=actor,
        approval_note=note,
    )
    version.save()
    current.status = PID.Status.APPROVED
    current.review_comments = ""
    current.version += 1
    current.save()
    _tell(current, PID_APPROVED)
    return version


@action("can_approve_pid")
def pid_return(*, pid: PID, actor, version: int, fingerprint: str, comments: str) -> PID:
    """Send the PID back to its lead with comments on what the programme manager read
    (`fingerprint`); refused if it has changed since, as the comments may no longer fit."""
    if not comments.strip():
        raise ValidationError({"comments": "Say what needs to change before it can be approved"})
    current = lock_current(pid, version)
    if current.status != PID.Status.SUBMITTED:
        raise ValidationError("Only a PID submitted for approval can be returned.")
    _check_read(current, fingerprint, pid_snapshot(current.theme))
    current.status = PID.Status.RETURNED
    current.review_comments = comments
    current.version += 1
    current.save()
    _tell(current, PID_RETURNED)
    return current


# Who is told when a PID moves: the programme managers when it is submitted, its lead when it
# is returned or approved. By e-mail, queued through the outbox once the change commits.
PID_SUBMITTED, PID_RETURNED, PID_APPROVED = "submitted", "returned", "approved"


def _tell(pid: PID, event: str) -> None:
    outbox.enqueue("themes.tasks.pid_notify_task", pid.pk, event, pid.version)


def pid_recipients(pid: PID, event: str) -> list:
    """Who must act next on the PID: the programme managers for a submitted one, the theme's
    lead for one returned or approved (those with an e-mail address)."""
    from django.contrib.auth import get_user_model

    if event == PID_SUBMITTED:
        people = (
            get_user_model()
            .objects.filter(groups__name=roles.PROGRAMME_MANAGER, is_active=True)
            .distinct()
        )
    else:
        lead = pid.theme.lead
        people = [lead] if lead is not None and lead.is_active else []
    return [p for p in people if p.email]


def pid_notify(*, pid_id: int, event: str, version: int) -> int:
    """E-mail who must act next on the PID, with a link to it. Sends nothing if the PID has
    moved on since (`version` is the PID's version the change left it at), so a task delivered
    twice, or late, tells no one of a state that has passed. Returns how many were sent."""
    from havering_improve.mail import send_email, site_url

    pid = PID.objects.select_related("theme__lead", "submitted_by").filter(pk=pid_id).first()
    if pid is None or pid.version != version:
        return 0
    theme = pid.theme
    context = {
        "pid": pid,
        "theme": theme,
        "event": event,
        # The newest approved version: the one just approved, or the one a submission changes.
        "approved": theme.pid_versions.first(),
        "url": site_url(
            reverse("themes:pid_review", args=[theme.slug])
            if event == PID_SUBMITTED
            else theme.get_absolute_url()
        ),
    }
    sent = 0
    for person in pid_recipients(pid, event):
        context["person"] = person
        try:
            send_email("themes/email/pid", context, to=[person.email])
        except Exception:  # the decision stands; the log says who was not told
            logger.exception("PID %s not e-mailed to %s", event, person.email)
            continue
        sent += 1
    return sent


# Highlight reports -----------------------------------------------------------------------------


@action("can_edit_theme", on="theme")
def highlight_report_start(*, theme: Theme, period: dt.date, actor) -> HighlightReport:
    """A draft report for the period, pre-filled from live data. Refused if the period has one."""
    period = selectors.period_start(period)
    if existing := _report_for(theme, period):
        raise AlreadyDone(f"There is already a report for {period:%B %Y}.", existing)
    report = HighlightReport(theme=theme, period=period, created_by=actor)
    try:
        with transaction.atomic():
            _apply(report, highlight_report_prefill(theme=theme, period=period))
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
    *, report: HighlightReport, actor, version: int, **fields
) -> HighlightReport:
    current = lock_current(report, version)
    if current.is_locked:
        raise ValidationError(
            "This report was submitted and is locked. Start a correction to change it."
        )
    _apply(current, {k: fields[k] for k in HighlightReport.CONTENT_FIELDS if k in fields})
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
    return _submit(current, actor)


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


# Comments and evidence -------------------------------------------------------------------------


def _check_target(theme, milestone, measure) -> None:
    for target in (milestone, measure):
        if target is not None and target.theme_id != theme.pk:
            raise ValidationError("That belongs to another theme.")


@action("can_comment_on_theme", on="theme")
def comment_add(*, theme: Theme, actor, body: str, milestone=None, measure=None) -> Comment:
    _check_target(theme, milestone, measure)
    if not body.strip():
        raise ValidationError({"body": "Write your comment"})
    comment = Comment(theme=theme, milestone=milestone, measure=measure, author=actor, body=body)
    comment.save()
    return comment


@action("can_comment_on_theme", on="theme")
def evidence_add(
    *, theme: Theme, actor, title: str, upload, milestone=None, measure=None
) -> Evidence:
    _check_target(theme, milestone, measure)
    try:  # by content, size and name, as for every upload
        kind = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    # Names as people see them: no control or bidirectional characters, bounded to the fields.
    name = display_name(upload.name, Evidence._meta.get_field("original_name").max_length)
    evidence = Evidence(
        theme=theme,
        milestone=milestone,
        measure=measure,
        title=clean_name(title)[:200].strip() or display_name(name, 200),
        original_name=name,
        kind=kind,
        size=upload.size,
        uploaded_by=actor,
    )
    evidence.full_clean(exclude=["file"])  # a refusal writes no file
    # Stored under a name of its own with the extension of what it is (evidence_upload_to).
    save_with_file(evidence.file, upload.name, upload, evidence.save)
    return evidence


# Team ------------------------------------------------------------------------------------------


@action("can_edit_theme", on="theme")
def team_member_add(*, theme: Theme, actor, member, kind: str, organisation: str = ""):
    """Put `member` on the theme's team (practitioner, manager or partner representative)."""
    if TeamMembership.objects.filter(theme=theme, user=member).exists():
        raise ValidationError({"member": "That person is already on the team"})
    if kind == TeamMembership.Kind.PARTNER and not organisation.strip():
        raise ValidationError({"organisation": "Say which organisation the partner represents"})
    membership = TeamMembership(theme=theme, user=member, kind=kind, organisation=organisation)
    membership.full_clean()
    membership.save()
    return membership


@action("can_edit_theme", on="membership.theme")
def team_member_remove(*, membership, actor) -> None:
    membership.delete()
