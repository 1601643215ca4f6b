"""The programme manager's home: PIDs to approve, late highlight reports, escalated risks,
findings awaiting a response, and the next board pack."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from board import selectors as board_selectors
from board.models import BoardSettings, Meeting, RotaRun
from evaluation.models import Finding
from reporting.models import MeetingPack
from themes import selectors as theme_selectors
from themes.models import PID, HighlightReport, Risk, Theme

from .items import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    RED,
    Task,
    WorkList,
    as_day,
    expected_period,
    plural,
    report_due,
    theme_section,
)

# --- Programme manager ------------------------------------------------------------------------


def programme_manager_lists(programme, *, on: dt.date) -> list[WorkList]:
    themes = list(Theme.objects.filter(programme=programme).order_by("number"))
    period = theme_selectors.current_period(on)
    previous = theme_selectors.previous_period(period)
    tasks = [
        Task(
            f"Approve or return the PID for {pid.theme.title}",
            reverse("themes:pid_review", kwargs={"slug": pid.theme.slug}),
            f"Submitted {as_day(pid.submitted_at.date())}" if pid.submitted_at else "",
            "Awaiting approval",
            BLUE,
        )
        for pid in PID.objects.filter(theme__programme=programme, status=PID.Status.SUBMITTED)
        .select_related("theme")
        .order_by("submitted_at", "pk")
    ]
    states: dict[tuple[int, dt.date], str] = {}
    for theme_id, report_period, status in HighlightReport.objects.filter(
        theme__programme=programme, period__gte=previous
    ).values_list("theme_id", "period", "status"):
        if states.get((theme_id, report_period)) != "submitted":
            states[(theme_id, report_period)] = status
    for theme in themes:
        for month, due in ((previous, report_due(previous)), (period, report_due(period))):
            if states.get((theme.pk, month)) == "submitted":
                continue
            late = due < on
            if month == period and not late:
                continue  # this month's report is not due yet
            tasks.append(
                Task(
                    f"{month:%B %Y} highlight report: {theme.title}",
                    theme_section(theme, "reports"),
                    f"Due {as_day(due)}"
                    + (" (a draft is started)" if states.get((theme.pk, month)) else ""),
                    "Late",
                    RED,
                )
            )
    for risk in (
        Risk.objects.filter(theme__programme=programme, escalated=True, status=Risk.Status.OPEN)
        .select_related("theme")
        .order_by("theme__number", "pk")
    ):
        tasks.append(
            Task(
                f"Escalated {risk.get_kind_display().lower()}: {risk.description[:90]}",
                theme_section(risk.theme, "risks"),
                f"{risk.theme.title}; score {risk.score}",
                "Escalated",
                ORANGE,
            )
        )
    for finding in (
        Finding.objects.filter(activity__programme=programme, response=Finding.Response.AWAITING)
        .select_related("activity")
        .order_by("activity__start_date", "pk")
    ):
        tasks.append(
            Task(
                f"Respond to the finding: {finding.title[:90]}",
                reverse("evaluation:finding_edit", kwargs={"pk": finding.pk}),
                f"From {finding.activity.title}",
                "No response",
                ORANGE,
            )
        )
    work = WorkList("programme", "Programme manager", tasks, empty="Nothing waits for you.")
    board = board_selectors.improvement_board(programme)
    pack = WorkList("pack", "The next board pack", empty="No board meeting is scheduled.")
    if board is not None:
        meeting = board_selectors.next_meeting(board, today=on)
        pending = RotaRun.objects.filter(board=board, status=RotaRun.Status.PENDING).count()
        if meeting is not None:
            pack.tasks.append(_pack_task(meeting, on, states))
        if pending:
            pack.tasks.append(
                Task(
                    "Rota changes waiting to be worked out",
                    reverse("board:rota_history"),
                    plural(pending, "request") + " to reshuffle the rota",
                    "Pending",
                    BLUE,
                )
            )
    return [work, pack]


def _pack_task(meeting: Meeting, on: dt.date, states: dict) -> Task:
    settings = BoardSettings.objects.filter(board=meeting.board_id).first() or BoardSettings()
    deadline = board_selectors.pack_deadline(meeting, settings)
    pack = board_selectors.current_pack(meeting)
    focus = [slot.theme for slot in meeting.slots.all()]
    expected = expected_period(deadline)
    missing = [t.title for t in focus if states.get((t.pk, expected)) != "submitted"]
    name = meeting.board.short_name or meeting.board.name
    title = f"Pack for the {name} on {as_day(meeting.date)}"
    href = reverse("board:meeting", kwargs={"pk": meeting.pk})
    warning = f"; no report yet from {', '.join(missing)}" if missing else ""
    if pack is None:
        status, colour = "To build", (RED if deadline < on else BLUE)
        hint = f"Build it on {as_day(deadline)}"
    elif pack.status == MeetingPack.Status.PUBLISHED:
        status, colour, hint = "Published", GREEN, f"Version {pack.version}"
        warning = ""
    elif pack.status == MeetingPack.Status.FAILED:
        status, colour, hint = "Failed", RED, "The build failed: build it again"
    elif pack.status == MeetingPack.Status.BUILDING:
        status, colour, hint = "Building", GREY, "Being built"
    else:
        status, colour, hint = "Ready to publish", BLUE, f"Version {pack.version} is built"
        href = reverse("board:pack", kwargs={"pk": pack.pk})
    if warning:
        status, colour = f"{status}, with warnings", ORANGE
    return Task(title, href, hint + warning, status, colour)
