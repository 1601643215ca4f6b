"""A theme's project initiation document: written and submitted by its lead, approved or
returned by the programme manager, with who must act next told by e-mail.

Approving freezes a numbered `PIDVersion`: the PID's text and a snapshot of the theme's measures,
milestones, risks and team (`pid_snapshot`), exactly as the programme manager read them
(`pid_fingerprint`).
"""

import hashlib
import json
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from havering_improve import outbox, roles
from havering_improve.actions import KEEP, Keep, action, kept, lock_current
from havering_improve.mail import send_email, site_url

from ..charts import format_value
from ..models import PID, Measure, Milestone, PIDVersion, Risk, Theme
from .common import mark_submitted

logger = logging.getLogger(__name__)


@action("can_edit_theme", on="pid.theme")
def pid_update(
    *,
    pid: PID,
    actor,
    version: int | None,
    aims: str | Keep = KEEP,
    scope: str | Keep = KEEP,
    deliverables: str | Keep = KEEP,
    outcomes: str | Keep = KEEP,
    partners: str | Keep = KEEP,
    governance: str | Keep = KEEP,
    dependencies: str | Keep = KEEP,
) -> PID:
    """Save the PID's text (the parts given). An approved or returned PID becomes a draft again;
    one waiting for approval cannot change until the programme manager approves or returns it.
    The first save creates it (there is nothing yet to be stale against)."""
    current = lock_current(pid, version) if pid.pk else pid
    if current.status == PID.Status.SUBMITTED:
        raise ValidationError(
            "This PID is waiting for the programme manager's approval. It can be edited again "
            "once it is approved or returned."
        )
    current.aims = kept(aims, current.aims)
    current.scope = kept(scope, current.scope)
    current.deliverables = kept(deliverables, current.deliverables)
    current.outcomes = kept(outcomes, current.outcomes)
    current.partners = kept(partners, current.partners)
    current.governance = kept(governance, current.governance)
    current.dependencies = kept(dependencies, current.dependencies)
    current.full_clean()
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
    submitted = mark_submitted(current, actor)
    submitted.save()
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
    approved = PIDVersion(
        theme=current.theme,
        number=number,
        aims=current.aims,
        scope=current.scope,
        deliverables=current.deliverables,
        outcomes=current.outcomes,
        partners=current.partners,
        governance=current.governance,
        dependencies=current.dependencies,
        snapshot=snapshot,
        submitted_by=current.submitted_by,
        approved_at=timezone.now(),
        approved_by=actor,
        approval_note=note,
    )
    approved.save()
    current.status = PID.Status.APPROVED
    current.review_comments = ""
    current.version += 1
    current.save()
    _tell(current, PID_APPROVED)
    return approved


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
