"""A project lead's home: for each theme they lead, its PID, highlight reports, readings,
overdue milestones and risks, the Board's answers and its next meeting in focus; then their board
actions."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from board import selectors as board_selectors
from board.models import BoardSettings, Decision, Meeting, RotaSlot
from reporting.models import MeetingPack
from themes import selectors as theme_selectors
from themes.models import (
    PID,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    PIDVersion,
    Risk,
    Theme,
)

from .board import actions_list
from .items import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    RED,
    Task,
    WorkList,
    as_day,
    report_due,
)


def _next_focus(theme_ids: list[int], on: dt.date) -> dict[int, tuple[Meeting, dt.date]]:
    """Each theme's next meeting in focus and the day its report is due for that pack."""
    slots = (
        RotaSlot.objects.filter(
            theme_id__in=theme_ids, meeting__date__gte=on, meeting__cancelled_at__isnull=True
        )
        .select_related("meeting__board")
        .prefetch_related(
            Prefetch(
                "meeting__packs",
                queryset=MeetingPack.objects.filter(status=MeetingPack.Status.PUBLISHED),
            )
        )
        .order_by("meeting__date", "pk")
    )
    settings = {s.board_id: s.pack_days_before for s in BoardSettings.objects.all()}
    default_days = BoardSettings().pack_days_before
    found: dict[int, tuple[Meeting, dt.date]] = {}
    for slot in slots:
        if slot.theme_id not in found:
            meeting = slot.meeting
            days = settings.get(meeting.board_id, default_days)
            found[slot.theme_id] = (meeting, meeting.date - dt.timedelta(days=days))
    return found


# --- Project lead -----------------------------------------------------------------------------


def lead_lists(user, *, on: dt.date) -> list[WorkList]:
    themes = list(Theme.objects.filter(lead=user).order_by("number"))
    if not themes:
        return [WorkList("lead", "Your theme", empty="You do not lead a theme yet.")]
    ids = [t.pk for t in themes]
    period = theme_selectors.current_period(on)
    previous = theme_selectors.previous_period(period)
    reports: dict[tuple[int, dt.date], HighlightReport] = {}
    for report in HighlightReport.objects.filter(
        theme_id__in=ids, period__in=[previous, period]
    ).order_by("theme_id", "period", "-revision"):
        reports.setdefault((report.theme_id, report.period), report)
    # Readings are taken at each month's end: last month's should be in.
    month_end = period - dt.timedelta(days=1)
    latest = MeasureReading.objects.filter(measure=OuterRef("pk")).order_by("-date", "-pk")
    stale: dict[int, list[Measure]] = {}
    for measure in (
        Measure.objects.filter(theme_id__in=ids)
        .annotate(latest_date=Subquery(latest.values("date")[:1]))
        .filter(Q(latest_date__isnull=True) | Q(latest_date__lt=month_end))
        .order_by("order", "pk")
    ):
        stale.setdefault(measure.theme_id, []).append(measure)
    overdue: dict[int, list[Milestone]] = {}
    for milestone in theme_selectors.overdue_milestones(on=on).filter(theme_id__in=ids):
        overdue.setdefault(milestone.theme_id, []).append(milestone)
    risks: dict[int, list[Risk]] = {}
    for risk in Risk.objects.filter(
        theme_id__in=ids, status=Risk.Status.OPEN, review_date__lt=on
    ).order_by("review_date", "pk"):
        risks.setdefault(risk.theme_id, []).append(risk)
    focus = _next_focus(ids, on)
    # The Board's answers to what the lead asked, recorded in the last few weeks.
    answers: dict[int, list[Decision]] = {}
    for decision in (
        Decision.objects.filter(
            theme_id__in=ids,
            report__isnull=False,
            meeting__date__gte=on - dt.timedelta(days=ANSWERS_SHOWN_DAYS),
        )
        .exclude(outcome="")
        .select_related("meeting__board")
        .order_by("-meeting__date", "pk")
    ):
        answers.setdefault(decision.theme_id, []).append(decision)
    pids = _pids(ids)

    lists = []
    for theme in themes:
        tasks = _pid_tasks(theme, pids.get(theme.pk), on)
        late = reports.get((theme.pk, previous))
        if late is None or late.status != HighlightReport.Status.SUBMITTED:
            tasks.append(
                Task(
                    f"Submit the {previous:%B %Y} highlight report",
                    reverse("themes:report", kwargs={"slug": theme.slug, "pk": late.pk})
                    if late
                    else reverse("themes:report_start", kwargs={"slug": theme.slug}),
                    f"Was due {as_day(report_due(previous))}",
                    "Late",
                    RED,
                )
            )
        report = reports.get((theme.pk, period))
        due = report_due(period)
        month = f"{period:%B %Y}"
        if report is None:
            tasks.append(
                Task(
                    f"Start the {month} highlight report",
                    reverse("themes:report_start", kwargs={"slug": theme.slug}),
                    f"Due {as_day(due)}",
                    "Not started",
                    RED if due < on else BLUE,
                )
            )
        elif report.status == HighlightReport.Status.DRAFT:
            late = due < on  # flagged as late, never shown as a report still to come
            tasks.append(
                Task(
                    f"Finish and submit the {month} highlight report",
                    reverse("themes:report", kwargs={"slug": theme.slug, "pk": report.pk}),
                    f"Was due {as_day(due)}; a draft is started" if late else f"Due {as_day(due)}",
                    "Late" if late else "In progress",
                    RED if late else ORANGE,
                )
            )
        else:
            submitted = report.submitted_at.date() if report.submitted_at else None
            tasks.append(
                Task(
                    f"The {month} highlight report",
                    reverse("themes:report", kwargs={"slug": theme.slug, "pk": report.pk}),
                    f"Submitted {as_day(submitted)}" if submitted else "Submitted",
                    "Submitted",
                    GREEN,
                )
            )
        for measure in stale.get(theme.pk, []):
            tasks.append(
                Task(
                    f"Record a reading: {measure.name}",
                    reverse("themes:reading_add", kwargs={"slug": theme.slug, "pk": measure.pk}),
                    (
                        f"Last reading {as_day(measure.latest_date)}"
                        if measure.latest_date
                        else "No reading yet"
                    )
                    + f"; none for {previous:%B %Y}",
                    "Reading missing",
                    ORANGE,
                )
            )
        tasks += _past_date_tasks(
            theme,
            overdue.get(theme.pk, []),
            "themes:milestone",
            title=lambda m: m.title,
            hint=lambda m: f"Milestone due {as_day(m.due_date)}",
            status="Overdue",
        )
        tasks += _past_date_tasks(
            theme,
            risks.get(theme.pk, []),
            "themes:risk_edit",
            title=lambda r: f"Review the {r.get_kind_display().lower()}: {r.description[:90]}",
            hint=lambda r: f"Review was due {as_day(r.review_date)}",
            status="Review overdue",
        )
        for decision in answers.get(theme.pk, []):
            tasks.append(
                Task(
                    f"The Board's answer to your request: {decision.text[:100]}",
                    reverse("board:meeting", kwargs={"pk": decision.meeting_id})
                    + f"#decision-{decision.pk}",
                    f"{decision.meeting.board.short_name or decision.meeting.board.name} on "
                    f"{as_day(decision.meeting.date)}"
                    + (f"; conditions: {decision.conditions[:100]}" if decision.conditions else ""),
                    decision.get_outcome_display(),
                    _OUTCOME_COLOURS.get(decision.outcome, GREY),
                )
            )
        meeting, deadline = focus.get(theme.pk, (None, None))
        if meeting is not None:
            tasks.append(_focus_task(meeting, deadline, on))
        lists.append(
            WorkList(
                f"lead-{theme.slug}",
                f"Your theme: {theme.title}",
                tasks,
                link_href=theme.get_absolute_url(),
                link_text=f"Open {theme.title}",
            )
        )
    actions = [a for a in board_selectors.my_actions(user) if a.is_open]
    if actions:
        lists.append(actions_list(actions, on))
    return lists


# A Board's answer to a lead's request stays on their home until this long after its meeting.
ANSWERS_SHOWN_DAYS = 45
_OUTCOME_COLOURS = {
    Decision.Outcome.AGREED: GREEN,
    Decision.Outcome.DECLINED: RED,
    Decision.Outcome.DEFERRED: ORANGE,
}


def _focus_task(meeting: Meeting, deadline: dt.date, on: dt.date) -> Task:
    """The theme's next meeting in focus: its report is due for the pack; then the pack is being
    built; once published, the lead (who presents it) reads it."""
    name = meeting.board.short_name or meeting.board.name
    title = f"In focus at the {name} on {as_day(meeting.date)}"
    published = max(meeting.packs.all(), key=lambda p: p.version, default=None)
    if published is not None:
        return Task(
            title,
            reverse("board:pack", kwargs={"pk": published.pk}),
            "Read the pack you present"
            + (
                f": published {as_day(published.published_at.date())}"
                if published.published_at
                else ""
            ),
            "Pack published",
            GREEN,
        )
    href = reverse("board:meeting", kwargs={"pk": meeting.pk})
    if deadline >= on:
        return Task(
            title,
            href,
            f"Your highlight report is due for its pack by {as_day(deadline)}",
            "Report due",
            BLUE,
        )
    return Task(
        title, href, f"The pack was due to be built on {as_day(deadline)}", "Pack being built", GREY
    )


# How long a lead's home says their PID was approved (they are e-mailed too).
PID_APPROVED_SHOWN_DAYS = 14


def _pids(theme_ids: list[int]) -> dict[int, PID]:
    """Each theme's PID with its latest approved version's number and day, in one query."""
    latest = PIDVersion.objects.filter(theme=OuterRef("theme")).order_by("-number")
    return {
        pid.theme_id: pid
        for pid in PID.objects.filter(theme_id__in=theme_ids).annotate(
            approved_number=Subquery(latest.values("number")[:1]),
            approved_on=Subquery(latest.values("approved_at")[:1]),
        )
    }


def _pid_tasks(theme: Theme, pid: PID | None, on: dt.date) -> list[Task]:
    """The lead's PID, where it needs them or has news: returned with comments (revise and
    resubmit), waiting for approval, or approved in the last two weeks."""
    if pid is None:
        return []
    href = theme.get_absolute_url()
    if pid.status == PID.Status.RETURNED:
        comments = " ".join(pid.review_comments.split())
        hint = f"The programme manager's comments: {comments[:140]}" + (
            "…" if len(comments) > 140 else ""
        )
        return [
            Task(
                "PID returned with comments: revise and resubmit",
                href,
                hint,
                "Returned",
                RED,
            )
        ]
    if pid.status == PID.Status.SUBMITTED:
        submitted = pid.submitted_at.date() if pid.submitted_at else None
        return [
            Task(
                "PID submitted for approval",
                href,
                f"Submitted {as_day(submitted)}; the programme manager approves or returns it"
                if submitted
                else "The programme manager approves or returns it",
                "Waiting",
                GREY,
            )
        ]
    approved_on = timezone.localdate(pid.approved_on) if pid.approved_on else None
    if (
        pid.status == PID.Status.APPROVED
        and approved_on
        and (on - approved_on).days <= PID_APPROVED_SHOWN_DAYS
    ):
        return [
            Task(
                f"PID approved: version {pid.approved_number}",
                reverse(
                    "themes:pid_version",
                    kwargs={"slug": theme.slug, "number": pid.approved_number},
                ),
                f"Approved {as_day(approved_on)}",
                "Approved",
                GREEN,
            )
        ]
    return []


def _past_date_tasks(theme: Theme, records, url_name: str, *, title, hint, status) -> list[Task]:
    """A red task for each of the theme's records past its date, linked to the record's page
    (`url_name`, addressed by the theme's slug and the record's pk)."""
    return [
        Task(
            title(record),
            reverse(url_name, kwargs={"slug": theme.slug, "pk": record.pk}),
            hint(record),
            status,
            RED,
        )
        for record in records
    ]
