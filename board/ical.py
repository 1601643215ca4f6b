"""The rota as iCalendar (RFC 5545) text for Outlook. Written by hand: it is a few lines."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
MEETING_LENGTH = dt.timedelta(hours=2)


# Control characters that a TEXT value may not hold (RFC 5545 3.3.11): all but the tab.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


def rota_calendar(*, board, meetings, host: str = "havering-improve") -> str:
    now = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//London Borough of Havering//Havering Improve//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(board.name)}",
    ]
    for meeting in meetings:
        themes = [slot.theme.title for slot in meeting.slots.all()]
        summary = board.short_name or board.name
        if themes:
            summary += ": " + " and ".join(themes)
        description = [f"Focus themes: {', '.join(themes) or 'not yet on the rota'}"]
        if meeting.chair:
            description.append(f"Chair: {meeting.chair}")
        if meeting.online_link:
            description.append(f"Join online: {meeting.online_link}")
        lines += ["BEGIN:VEVENT", f"UID:board-meeting-{meeting.pk}@{host}", f"DTSTAMP:{_utc(now)}"]
        if meeting.start_time:
            start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON)
            lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + MEETING_LENGTH)}"]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{meeting.date + dt.timedelta(days=1):%Y%m%d}",
            ]
        lines.append(f"SUMMARY:{_escape(summary)}")
        if meeting.venue:
            lines.append(f"LOCATION:{_escape(meeting.venue)}")
        if meeting.online_link:
            lines.append(f"URL:{meeting.online_link}")
        lines += [f"DESCRIPTION:{_escape(chr(10).join(description))}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
