"""A meeting's invitation as an e-mail Outlook (and any iMIP client, RFC 6047) puts straight
into the calendar: a short text part, the iTIP calendar as a `text/calendar; method=…`
alternative part, and the same calendar attached as `invite.ics` for mail programs that only
offer attachments."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from havering_improve.mail import email_message

from .ical import invitation

SUBJECT_WORD = {"REQUEST": "Invitation", "UPDATE": "Updated", "CANCEL": "Cancelled"}


def invitation_message(*, meeting, method: str, to: str, attendees) -> EmailMultiAlternatives:
    """The e-mail for one person. `attendees`: (name, e-mail) pairs, all the meeting's people
    for a REQUEST or a cancelled meeting; empty for a cancellation sent only to `to` (a lead
    whose theme left the focus), which then names only them."""
    board = meeting.board
    calendar = invitation(
        meeting=meeting,
        method=method,
        organizer=(board.name, settings.DEFAULT_FROM_EMAIL),
        attendees=attendees or [(to, to)],
    )
    kind = "UPDATE" if method == "REQUEST" and meeting.sequence else method
    context = {
        "meeting": meeting,
        "kind": kind,
        "word": SUBJECT_WORD[kind],
        "focus": [slot.theme.title for slot in meeting.slots.select_related("theme")],
        "for_you_only": method == "CANCEL" and not meeting.is_cancelled,
    }
    # Text and HTML parts, UK-time Date and the site's Message-ID as every message has.
    message = email_message("board/email/invitation", context, to=[to])
    # "calendar; method=REQUEST" as the subtype gives the part the Content-Type header iMIP
    # asks for: text/calendar; method=REQUEST; charset="utf-8".
    content_type = f"text/calendar; method={method}"
    message.attach_alternative(calendar, content_type)
    message.attach("invite.ics", calendar, content_type)
    return message
