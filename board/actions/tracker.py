"""Actions from the Board's meetings: given to an owner (who is e-mailed once), and updated by
the owner or the programme manager until done."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from havering_improve import actions, outbox
from havering_improve.actions import lock_current
from havering_improve.mail import send_email, site_url
from themes import selectors as theme_selectors
from themes.models import Theme

from ..models import Action, Meeting


@actions.action("can_manage_board")
def action_add(
    *,
    meeting: Meeting,
    actor,
    description: str,
    owner,
    due_date: dt.date,
    theme: Theme | None = None,
    restricted: bool = False,
) -> Action:
    action = Action(
        meeting=meeting,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        theme=theme,
        restricted=restricted,
    )
    action.full_clean()
    action.save()
    if owner.email:
        outbox.enqueue("board.tasks.action_tell_owner_task", action.pk)
    return action


@actions.action("system", atomic=False)
def action_tell_owner(*, action_id: int, actor=None) -> bool:
    """E-mail an action's owner that the Board gave it to them, with a link to it. Once: the
    action keeps when they were told, so a redelivered task sends nothing."""
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("meeting__board", "owner", "theme")
            .get(pk=action_id)
        )
        if action.owner_told_at is not None or not action.owner.email or not action.is_open:
            return False
        context = {
            "action": action,
            "owner": action.owner,
            "meeting": action.meeting,
            "link": site_url(reverse("board:action_update", kwargs={"pk": action.pk})),
        }
        send_email("board/email/action_assigned", context, to=[action.owner.email])
        action.owner_told_at = timezone.now()
        action.save(update_fields=["owner_told_at"])
    return True


@actions.action("can_update_action", on="action")
def action_update(
    *, action: Action, actor, version: int, status: str, progress_note: str
) -> Action:
    action = lock_current(action, version)
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status."})
    action.status = status
    action.progress_note = progress_note.strip()
    # Closing an action stamps the day; reopening it clears it, so carry-forward stays right.
    action.closed_on = (
        (action.closed_on or theme_selectors.today()) if status == Action.Status.DONE else None
    )
    action.version += 1
    action.save(update_fields=["status", "progress_note", "closed_on", "version"])
    return action
