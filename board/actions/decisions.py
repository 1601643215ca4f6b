"""Decisions of the Board, and the answer to what a highlight report asked it, which its lead is
e-mailed once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from havering_improve import actions, outbox
from havering_improve.mail import send_email, site_url
from themes.models import HighlightReport, Theme

from ..models import Decision, Meeting


@actions.action("can_manage_board")
def decision_add(
    *,
    meeting: Meeting,
    text: str,
    actor,
    theme: Theme | None = None,
    restricted: bool = False,
    report: HighlightReport | None = None,
    outcome: str = "",
    conditions: str = "",
) -> Decision:
    """Record a decision of the Board. With `report`, it answers what that highlight report asked
    the Board ("Decisions needed from the Board"): agreed, declined or deferred, with any
    conditions; its lead is e-mailed the answer (through the outbox) and sees it on their home."""
    errors = {}
    if not text.strip():
        errors["text"] = "Enter the decision."
    if outcome and outcome not in Decision.Outcome.values:
        errors["outcome"] = "Choose agreed, declined or deferred."
    if report is not None:
        if report.theme.programme_id != meeting.board.programme_id:
            errors["report"] = "That highlight report is not one of this programme's."
        elif not outcome:
            errors["outcome"] = "Choose whether the Board agreed, declined or deferred it."
        theme = report.theme
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        meeting=meeting,
        text=text.strip(),
        theme=theme,
        restricted=restricted,
        report=report,
        asked=report.decisions_needed.strip() if report is not None else "",
        outcome=outcome,
        conditions=conditions.strip(),
    )
    decision.save()
    if decision.outcome and report is not None and theme.lead_id:
        outbox.enqueue("board.tasks.decision_tell_lead_task", decision.pk)
    return decision


@actions.action("system", atomic=False)
def decision_tell_lead(*, decision_id: int, actor=None) -> bool:
    """E-mail the lead of the theme a decision is about the Board's answer, once: the decision
    keeps when it was sent, so a redelivered task sends nothing."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("meeting__board", "theme__lead")
            .get(pk=decision_id)
        )
        lead = decision.theme.lead if decision.theme else None
        if decision.lead_told_at is not None or lead is None or not lead.email:
            return False
        context = {
            "decision": decision,
            "lead": lead,
            "meeting": decision.meeting,
            "link": site_url(
                reverse("board:meeting", kwargs={"pk": decision.meeting_id})
                + f"#decision-{decision.pk}"
            ),
        }
        send_email("board/email/decision", context, to=[lead.email])
        decision.lead_told_at = timezone.now()
        decision.save(update_fields=["lead_told_at"])
    return True
