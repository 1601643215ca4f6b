"""The board's meetings as iCalendar (RFC 5545) for Outlook: the calendar to subscribe to, and
the invitations e-mailed to each meeting's people (iTIP, RFC 5546). Written by hand: it is a few
lines."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
MEETING_LENGTH = dt.timedelta(hours=2)


# Control characters that a TEXT value may not hold (RFC 5545 3.3.11): all but the tab.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


_NOT_IN_A_QUOTED_PARAMETER = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"]')


def _escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped; a line break of any kind (CRLF,
    CR or LF) written as \\n; any other control character, which a TEXT value may not hold,
    as a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub(" ", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _param(value: str) -> str:
    """A parameter value (CN=...), quoted; a double quote or control character, which a
    quoted value may not hold (RFC 5545 3.2), becomes a space."""
    return '"' + _NOT_IN_A_QUOTED_PARAMETER.sub(" ", value) + '"'


def meeting_uid(meeting) -> str:
    """The meeting's one name in every calendar, from the SITE_DOMAIN setting, never from the
    address a request came in by: subscribing through two names never makes two meetings."""
    return f"board-meeting-{meeting.pk}@{settings.SITE_DOMAIN}"


def meeting_summary(meeting, themes: list[str]) -> str:
    """ "Improvement Board — focus: Supervision; Case Recording and Management Oversight": the
    themes separated by semicolons, since a theme's own name can hold "and" or a comma."""
    summary = meeting.board.short_name or meeting.board.name
    return f"{summary} — focus: {'; '.join(themes)}" if themes else summary


def _event(meeting, *, now, cancelled: bool, organizer=None, attendees=()) -> list[str]:
    themes = [slot.theme.title for slot in meeting.slots.all()]
    description = [f"Focus themes: {'; '.join(themes) or 'not yet on the rota'}"]
    if meeting.chair:
        description.append(f"Chair: {meeting.chair}")
    if meeting.online_link:
        description.append(f"Join online: {meeting.online_link}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{_utc(now)}",
        f"SEQUENCE:{meeting.sequence}",
        f"LAST-MODIFIED:{_utc(meeting.calendar_changed_at)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if meeting.start_time:
        start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON)
        lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + MEETING_LENGTH)}"]
    else:
        lines += [
            f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{meeting.date + dt.timedelta(days=1):%Y%m%d}",
        ]
    lines.append(f"SUMMARY:{_escape(meeting_summary(meeting, themes))}")
    if meeting.venue:
        lines.append(f"LOCATION:{_escape(meeting.venue)}")
    if meeting.online_link:
        lines.append(f"URL:{meeting.online_link}")
    lines.append(f"DESCRIPTION:{_escape(chr(10).join(description))}")
    if organizer:
        name, email = organizer
        lines.append(f"ORGANIZER;CN={_param(name)}:mailto:{email}")
    for name, email in attendees:
        lines.append(
            f"ATTENDEE;CN={_param(name or email)};ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{email}"
        )
    lines.append("END:VEVENT")
    return lines


def _calendar(lines: list[str], *, method: str, name: str = "") -> str:
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//London Borough of Havering//Havering Improve//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        head.append(f"X-WR-CALNAME:{_escape(name)}")
    return "\r\n".join(_fold(line) for line in [*head, *lines, "END:VCALENDAR"]) + "\r\n"


def rota_calendar(*, board, meetings) -> str:
    """The board's calendar to subscribe to: every meeting, a cancelled one as STATUS:CANCELLED
    (so a calendar that had it marks it cancelled rather than keeping it)."""
    now = timezone.now()
    lines = []
    for meeting in meetings:
        lines += _event(meeting, now=now, cancelled=meeting.is_cancelled)
    return _calendar(lines, method="PUBLISH", name=board.name)


def invitation(*, meeting, method: str, organizer, attendees) -> str:
    """An iTIP message (RFC 5546) for one meeting: METHOD:REQUEST (a new meeting, or an update
    with a higher SEQUENCE) or METHOD:CANCEL (STATUS:CANCELLED), with ORGANIZER and ATTENDEEs
    as (name, e-mail) pairs."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"Unknown iTIP method {method!r}")
    lines = _event(
        meeting,
        now=timezone.now(),
        cancelled=method == "CANCEL",
        organizer=organizer,
        attendees=attendees,
    )
    return _calendar(lines, method=method)
