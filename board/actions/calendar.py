"""The board's calendar: meetings added (one or a recurring run), changed and cancelled, and
the invitations that put them in people's calendars (iMIP), sent once committed."""

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from havering_improve import actions, outbox
from havering_improve.actions import KEEP, Keep, given, lock_current
from havering_improve.errors import AlreadyDone
from themes import selectors as theme_selectors

from .. import selectors
from ..invitations import invitation_message
from ..models import Board, Meeting

logger = logging.getLogger(__name__)


@actions.action("can_manage_board")
def meeting_create(
    *,
    board: Board,
    actor,
    date: dt.date,
    start_time: dt.time | None = None,
    venue: str = "",
    online_link: str = "",
    chair: str = "",
) -> Meeting:
    """Add a meeting to the board's calendar; everyone it concerns is sent the invitation."""
    if Meeting.objects.filter(board=board, date=date, cancelled_at__isnull=True).exists():
        raise ValidationError({"date": f"The board already meets on {date:%-d %B %Y}."})
    meeting = Meeting(
        board=board,
        date=date,
        start_time=start_time,
        venue=venue,
        online_link=online_link,
        chair=chair,
    )
    meeting.full_clean()
    meeting.save()
    _invite(meeting)
    return meeting


# What a calendar holds of a meeting: a change to any of these is sent as an update.
CALENDAR_FIELDS = {"date", "start_time", "venue", "online_link"}


def _invite(meeting: Meeting) -> None:
    """Once committed, e-mail the meeting's people its invitation (or update, or cancellation)."""
    outbox.enqueue("board.tasks.meeting_invitations_task", meeting.pk)


def calendar_changed(meeting: Meeting, fields: list[str] | None = None) -> list[str]:
    """The meeting's time, place or focus changed: its calendar SEQUENCE goes up and its
    LAST-MODIFIED moves, so every calendar takes the change; the invitations follow. Returns
    the fields to save."""
    meeting.sequence += 1
    meeting.calendar_changed_at = timezone.now()
    _invite(meeting)
    return [*(fields or []), "sequence", "calendar_changed_at"]


@actions.action("can_manage_board")
def meeting_update(
    *,
    meeting: Meeting,
    actor,
    version: int,
    date: dt.date | Keep = KEEP,
    start_time: dt.time | None | Keep = KEEP,
    venue: str | Keep = KEEP,
    online_link: str | Keep = KEEP,
    chair: str | Keep = KEEP,
) -> Meeting:
    """Change a meeting's details from the `version` its form was opened at; a field not given
    keeps its value. A change of its time or place is sent to calendars as an update."""
    changes = given(
        date=date, start_time=start_time, venue=venue, online_link=online_link, chair=chair
    )
    meeting = lock_current(meeting, version)
    if "date" in changes:
        clash = Meeting.objects.filter(
            board=meeting.board_id, date=changes["date"], cancelled_at__isnull=True
        ).exclude(pk=meeting.pk)
        if clash.exists():
            raise ValidationError({"date": f"The board already meets on {changes['date']}."})
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled; it can no longer be changed.")
    fields = list(changes)
    moved = [f for f in fields if f in CALENDAR_FIELDS and getattr(meeting, f) != changes[f]]
    if "date" in changes:
        meeting.date = changes["date"]
    if "start_time" in changes:
        meeting.start_time = changes["start_time"]
    if "venue" in changes:
        meeting.venue = changes["venue"]
    if "online_link" in changes:
        meeting.online_link = changes["online_link"]
    if "chair" in changes:
        meeting.chair = changes["chair"]
    meeting.full_clean()
    meeting.version += 1
    if moved:
        fields = calendar_changed(meeting, fields)
    meeting.save(update_fields=[*fields, "version"])
    return meeting


@actions.action("can_manage_board")
def meeting_cancel(*, meeting: Meeting, actor, version: int) -> Meeting:
    """Cancel a meeting still to come. It stays on record, and in the calendar as cancelled
    (STATUS:CANCELLED, a higher SEQUENCE); everyone invited is sent the cancellation. It leaves
    the rota and is never packed or reminded of; its date is free for another meeting."""
    if Meeting.objects.select_for_update().get(pk=meeting.pk).is_cancelled:  # a double click
        raise AlreadyDone("This meeting is already cancelled.", obj=meeting)
    meeting = lock_current(meeting, version)
    if meeting.date < theme_selectors.today():
        raise ValidationError("A meeting already held cannot be cancelled.")
    meeting.cancelled_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=calendar_changed(meeting, ["cancelled_at", "version"]))
    return meeting


def recurrence_dates(
    *, first: dt.date, count: int, every_weeks: int | None = None, monthly: bool = False
) -> list[dt.date]:
    """Dates of a recurring meeting: every N weeks, or monthly on the same day of the month
    (the 31st becomes the month's last day)."""
    if count < 1:
        raise ValidationError({"count": "Enter how many meetings, 1 or more."})
    if monthly:
        return [first + relativedelta(months=i) for i in range(count)]
    if not every_weeks or every_weeks < 1:
        raise ValidationError({"every_weeks": "Enter how many weeks apart, 1 or more."})
    return [first + dt.timedelta(weeks=every_weeks * i) for i in range(count)]


@actions.action("can_manage_board")
def meetings_schedule(
    *,
    board: Board,
    actor,
    dates: list[dt.date],
    start_time: dt.time | None = None,
    venue: str = "",
    online_link: str = "",
    chair: str = "",
) -> list[Meeting]:
    """Add a run of meetings; dates the board already meets on are left as they are."""
    taken = set(
        Meeting.objects.filter(board=board, date__in=dates, cancelled_at__isnull=True).values_list(
            "date", flat=True
        )
    )
    created = []
    for date in dates:
        if date in taken:
            continue
        meeting = Meeting(
            board=board,
            date=date,
            start_time=start_time,
            venue=venue,
            online_link=online_link,
            chair=chair,
        )
        meeting.full_clean()
        meeting.save()
        _invite(meeting)
        created.append(meeting)
    return created


@actions.action("system", atomic=False)
def meeting_invitations_send(*, meeting_id: int, actor=None) -> int:
    """Put the meeting in its people's calendars (iMIP, RFC 6047): each board member and each
    focus theme's lead is sent a METHOD:REQUEST invitation, and again (same UID, higher
    SEQUENCE) when its time, place or focus changes; a cancelled meeting is sent as
    METHOD:CANCEL to everyone who had it. A lead whose theme leaves the focus is sent a
    cancellation of their own (what Outlook itself does when an organiser removes an
    attendee), and the others' update no longer lists them. The meeting keeps who holds it at
    which sequence, so a redelivered task sends nothing twice. Meetings already held are left
    alone. Returns the number of messages sent."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("board")
            .get(pk=meeting_id)
        )
        held = set(meeting.invitations.get("to", []))
        if meeting.is_cancelled:
            people, to_request, to_cancel = [], [], sorted(held)
        elif meeting.date < theme_selectors.today():
            return 0
        else:
            people = list(selectors.meeting_people(meeting))
            current = {person.email for person in people}
            fresh = meeting.invitations.get("sequence") != meeting.sequence
            to_request = [p for p in people if fresh or p.email not in held]
            to_cancel = sorted(held - current)
        if not to_request and not to_cancel:
            return 0
        attendees = [(p.get_full_name() or p.email, p.email) for p in people] or [
            (email, email) for email in to_cancel
        ]
        sent = 0
        for email, method in [(p.email, "REQUEST") for p in to_request] + [
            (email, "CANCEL") for email in to_cancel
        ]:
            message = invitation_message(
                meeting=meeting,
                method=method,
                to=email,
                # a cancellation for one lead names only them, so it takes the meeting out of
                # their calendar and no one else's
                attendees=attendees if method == "REQUEST" or meeting.is_cancelled else [],
            )
            try:
                message.send()
            except Exception:  # the meeting stands; the log says who was not sent it
                logger.exception("Meeting %s %s not e-mailed to %s", meeting.pk, method, email)
                continue
            sent += 1
            if method == "CANCEL":
                held.discard(email)
            else:
                held.add(email)
        meeting.invitations = {"sequence": meeting.sequence, "to": sorted(held)}
        meeting.skip_history_when_saving = True  # the e-mail's bookkeeping, not a change to it
        meeting.save(update_fields=["invitations"])
    return sent
