"""What the board adds to a theme: the "Board rota" tab on its page (when the theme is next in
focus and when its highlight report is due for that meeting), and where the Board saw each of
its highlight reports (the published packs that showed it)."""

import datetime as dt

from django.urls import reverse
from django.utils.dateformat import format as date_format

from themes import selectors as theme_selectors
from themes.hooks import report_seen
from themes.models import HighlightReport
from themes.selectors import expected_report_period, report_due_date
from themes.tabs import theme_tab

from . import selectors
from .models import BoardSettings, MeetingPack


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
    from .models import MeetingPack

    snapshot = (
        MeetingPack.objects.filter(meeting=meeting, built_at__isnull=False)
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


@report_seen
def report_in_published_packs(report) -> list[dict]:
    """The published packs that showed the report, meeting by meeting: the whole report for a
    focus theme, its overall rating in the programme overview for the others. A pack shows the
    newest revision submitted before it was built. Two queries; none for a draft."""
    if report.status != HighlightReport.Status.SUBMITTED or report.submitted_at is None:
        return []
    theme, period = report.theme, date_format(report.period, "F Y")
    newer = (
        HighlightReport.objects.filter(
            theme=theme, period=report.period, revision__gt=report.revision
        )
        .exclude(submitted_at=None)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    packs = (
        MeetingPack.objects.filter(
            status=MeetingPack.Status.PUBLISHED,
            meeting__board__programme=theme.programme_id,
            built_at__gte=report.submitted_at,
        )
        .order_by("meeting__date", "version")
        .values(
            "meeting_id",
            "meeting__date",
            "meeting__board__name",
            "built_at",
            "snapshot__focus",
            "snapshot__overview",
        )
    )
    seen: dict[int, dict] = {}
    for pack in packs:
        if newer is not None and pack["built_at"] >= newer:
            continue  # that pack showed the newer revision
        in_focus = any(
            item.get("title") == theme.title
            and (item.get("report") or {}).get("period") == period
            and (item.get("report") or {}).get("revision") == report.revision
            for item in pack["snapshot__focus"] or []
        )
        in_overview = any(
            row.get("title") == theme.title and row.get("period") == period
            for row in pack["snapshot__overview"] or []
        )
        if not (in_focus or in_overview):
            continue
        meeting = pack["meeting_id"]
        if meeting in seen and seen[meeting]["whole"]:
            continue
        seen[meeting] = {
            "whole": in_focus,
            "label": f"the {pack['meeting__board__name']} on "
            f"{date_format(pack['meeting__date'], 'j F Y')}",
            "href": reverse("board:meeting", kwargs={"pk": meeting}),
        }
    return list(seen.values())
