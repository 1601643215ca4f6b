"""What a theme's pages show of the packs (the published packs that showed a highlight report),
and what the meeting page shows of a draft pack (what changed since it was built)."""

from django.urls import reverse
from django.utils.dateformat import format as date_format

from board.hooks import pack_changes
from themes.hooks import report_seen
from themes.models import HighlightReport

from . import selectors
from .models import MeetingPack


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


@pack_changes
def pack_changes_since_built(pack) -> list:
    """What the meeting page tells the programme manager a draft pack no longer shows."""
    return selectors.pack_changes(pack)
