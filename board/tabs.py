"""What the board adds to a theme: the "Board rota" tab on its page (when the theme is next in
focus, when its highlight report is due for that meeting, and which report the meeting's pack
shows once it is built)."""

import datetime as dt

from themes import selectors as theme_selectors
from themes.selectors import expected_report_period, report_due_date
from themes.tabs import theme_tab

from . import selectors
from .models import BoardSettings


@theme_tab(key="board", label="Board rota", template="board/theme_tab.html", order=80)
def theme_rota_context(request, theme) -> dict:
    """A constant number of queries whatever the calendar holds (the tab registry's rule)."""
    today = theme_selectors.today()
    meetings = list(selectors.theme_focus_meetings(theme))
    upcoming = [m for m in meetings if m.date >= today]
    next_meeting = upcoming[0] if upcoming else None
    deadline = None
    if next_meeting is not None:
        settings = BoardSettings.objects.filter(board=next_meeting.board_id).first()
        days = settings.pack_days_before if settings else BoardSettings().pack_days_before
        deadline = next_meeting.date - dt.timedelta(days=days)
    expected = expected_report_period(deadline) if deadline else None
    return {
        # Once the pack is built, what it shows is its own snapshot (the meeting page says the
        # same); before, what the reporting convention expects.
        "board_in_pack": _shown_in_pack(next_meeting, theme) if next_meeting else None,
        "board_next_meeting": next_meeting,
        "board_report_deadline": deadline,
        "board_report_period": expected,
        "board_report_due": report_due_date(expected) if expected else None,
        "board_upcoming": upcoming,
        "board_past": [m for m in meetings if m.date < today][-3:],
    }


def _shown_in_pack(meeting, theme) -> dict | None:
    """The highlight report the meeting's newest built pack shows for the theme: its period and
    the day it was due (None until a pack is built, or when it shows no report)."""
    snapshot = (
        meeting.packs.filter(built_at__isnull=False)
        .order_by("-version")
        .values_list("snapshot", flat=True)
        .first()
    )
    for focus in (snapshot or {}).get("focus", []):
        if focus.get("title") == theme.title and focus.get("report"):
            report = focus["report"]
            due = report.get("due") or focus.get("report_check", {}).get("shown_due", "")
            return {"period": report["period"], "due": due}
    return None
