"""The "Board rota" tab on a theme's page: when the theme is next in focus and when its
highlight report is due for that meeting."""

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
        "board_next_meeting": next_meeting,
        "board_report_deadline": deadline,
        "board_report_period": expected,
        "board_report_due": report_due_date(expected) if expected else None,
        "board_upcoming": upcoming,
        "board_past": [m for m in meetings if m.date < today][-3:],
    }
