"""Each person's home page: what needs them, one list per role they hold.

Every list is built in a fixed number of queries whatever the programme holds (one query per
kind of record, never one per theme, row or meeting), so the home page's query count stays the
same as the data grows (tests/test_worklists.py pins it at two data sizes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from board import selectors as board_selectors
from board.models import (
    Action,
    BoardSettings,
    Decision,
    Meeting,
    MeetingPack,
    RotaRun,
    RotaSlot,
)
from budget import periods as budget_periods
from budget.models import BudgetAllocation, LedgerImport, LedgerRow
from budget.selectors import BUDGET_AREAS, cached_budget_report
from evaluation.models import Finding
from havering_improve import roles, summaries
from havering_improve.fy import FinancialYear
from selfevaluation import home as selfevaluation_home
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

# Tag colours (GOV.UK Design System): what needs doing now, what is waiting, what is fine.
RED, ORANGE, BLUE, GREEN, GREY = "red", "orange", "blue", "green", "grey"


@dataclass
class Task:
    title: str
    href: str = ""
    hint: str = ""
    status: str = ""
    colour: str = GREY


@dataclass
class WorkList:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)
    empty: str = "Nothing needs you here."
    link_href: str = ""
    link_text: str = ""


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# The reporting convention is themes.selectors' one rule: a month's report is due on its 26th.
report_due = theme_selectors.report_due_date
expected_period = theme_selectors.expected_report_period


def _section(theme: Theme, part: str) -> str:
    return reverse("themes:section", kwargs={"slug": theme.slug, "section": part})


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
                    f"Was due {_day(report_due(previous))}",
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
                    f"Due {_day(due)}",
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
                    f"Was due {_day(due)}; a draft is started" if late else f"Due {_day(due)}",
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
                    f"Submitted {_day(submitted)}" if submitted else "Submitted",
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
                        f"Last reading {_day(measure.latest_date)}"
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
            hint=lambda m: f"Milestone due {_day(m.due_date)}",
            status="Overdue",
        )
        tasks += _past_date_tasks(
            theme,
            risks.get(theme.pk, []),
            "themes:risk_edit",
            title=lambda r: f"Review the {r.get_kind_display().lower()}: {r.description[:90]}",
            hint=lambda r: f"Review was due {_day(r.review_date)}",
            status="Review overdue",
        )
        for decision in answers.get(theme.pk, []):
            tasks.append(
                Task(
                    f"The Board's answer to your request: {decision.text[:100]}",
                    reverse("board:meeting", kwargs={"pk": decision.meeting_id})
                    + f"#decision-{decision.pk}",
                    f"{decision.meeting.board.short_name or decision.meeting.board.name} on "
                    f"{_day(decision.meeting.date)}"
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
        lists.append(_actions_list(actions, on))
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
    title = f"In focus at the {name} on {_day(meeting.date)}"
    published = max(meeting.packs.all(), key=lambda p: p.version, default=None)
    if published is not None:
        return Task(
            title,
            reverse("board:pack", kwargs={"pk": published.pk}),
            "Read the pack you present"
            + (
                f": published {_day(published.published_at.date())}"
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
            f"Your highlight report is due for its pack by {_day(deadline)}",
            "Report due",
            BLUE,
        )
    return Task(
        title, href, f"The pack was due to be built on {_day(deadline)}", "Pack being built", GREY
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
                f"Submitted {_day(submitted)}; the programme manager approves or returns it"
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
                f"Approved {_day(approved_on)}",
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


def _actions_list(actions: list[Action], on: dt.date) -> WorkList:
    tasks = [
        Task(
            action.description[:120],
            reverse("board:action_update", kwargs={"pk": action.pk}),
            f"Agreed at the {action.meeting.board.short_name or action.meeting.board.name} on "
            f"{_day(action.meeting.date)}; due {_day(action.due_date)}",
            "Overdue" if action.is_overdue(on) else action.get_status_display(),
            RED if action.is_overdue(on) else BLUE,
        )
        for action in actions
    ]
    return WorkList("actions", "Your board actions", tasks, empty="You have no open actions.")


# --- Programme manager ------------------------------------------------------------------------


def programme_manager_lists(programme, *, on: dt.date) -> list[WorkList]:
    themes = list(Theme.objects.filter(programme=programme).order_by("number"))
    period = theme_selectors.current_period(on)
    previous = theme_selectors.previous_period(period)
    tasks = [
        Task(
            f"Approve or return the PID for {pid.theme.title}",
            reverse("themes:pid_review", kwargs={"slug": pid.theme.slug}),
            f"Submitted {_day(pid.submitted_at.date())}" if pid.submitted_at else "",
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
                    _section(theme, "reports"),
                    f"Due {_day(due)}"
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
                _section(risk.theme, "risks"),
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
                    _plural(pending, "request") + " to reshuffle the rota",
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
    title = f"Pack for the {name} on {_day(meeting.date)}"
    href = reverse("board:meeting", kwargs={"pk": meeting.pk})
    warning = f"; no report yet from {', '.join(missing)}" if missing else ""
    if pack is None:
        status, colour = "To build", (RED if deadline < on else BLUE)
        hint = f"Build it on {_day(deadline)}"
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


# --- Finance officer --------------------------------------------------------------------------


def finance_lists(programme, *, on: dt.date) -> list[WorkList]:
    today_fy = FinancialYear.for_date(on)
    allocations = list(BudgetAllocation.objects.filter(programme=programme).order_by("start_year"))
    past = [a for a in allocations if a.start_year <= today_fy.start_year]
    allocation = past[-1] if past else (allocations[0] if allocations else None)
    work = WorkList("finance", "Finance", empty="No budget has been allocated yet.")
    if allocation is None:
        return [work]
    fy = allocation.financial_year
    year = fy.slug
    queue = LedgerRow.objects.filter(
        allocation=allocation, active=True, line__isnull=True, allocations__isnull=True
    )
    queued = dict(queue.values_list("period").annotate(n=Count("pk")).order_by())
    waiting = sum(queued.values())
    if waiting:
        work.tasks.append(
            Task(
                "Allocate the rows waiting in the queue",
                reverse("budget:queue", kwargs={"year": year}),
                f"{_plural(waiting, 'ledger row')} matched no budget line",
                "Waiting",
                ORANGE,
            )
        )
    states = budget_periods.period_states(allocation)
    open_periods = [p for p in range(1, 13) if not (p in states and states[p].closed)]
    if open_periods:
        p = open_periods[0]
        month = fy.period_start(p)
        problem = budget_periods.period_close_problem(allocation, p, states)
        if problem:
            hint, status, colour = problem, "Not yet", GREY
        elif queued.get(p):
            hint = f"First allocate its {_plural(queued[p], 'queued row')}"
            status, colour = "Rows still queued", ORANGE
        else:
            hint, status, colour = "Its month has ended and its rows are allocated", "Ready", BLUE
        work.tasks.append(
            Task(
                f"Close period {p} ({month:%B %Y})",
                reverse("budget:periods", kwargs={"year": year}),
                hint,
                status,
                colour,
            )
        )
    # The last import that happened: the last file confirmed into the ledger (reversed since,
    # or not), never a preview that was cancelled or refused.
    last = (
        LedgerImport.objects.filter(allocation=allocation, confirmed_at__isnull=False)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if last is not None:
        person = last.confirmed_by
        who = (person.get_full_name() or person.get_username()) if person else "the system"
        when = timezone.localtime(last.confirmed_at).date()
        work.tasks.append(
            Task(
                f"Last import: {last.original_name}",
                reverse("budget:import", kwargs={"year": year, "pk": last.pk}),
                f"Imported {_day(when)} by {who}: "
                f"{_plural(last.rows_imported, 'row')}, £{last.total_imported:,.2f}",
                last.get_status_display(),
                GREEN if last.status == LedgerImport.Status.IMPORTED else GREY,
            )
        )
    report = cached_budget_report(allocation)
    for line in report.lines:
        if line.rag in ("amber", "red") and line.line is not None:
            percent = line.forecast_variance_percent
            work.tasks.append(
                Task(
                    f"Forecast variance: {line.title}",
                    reverse("budget:line", kwargs={"year": year, "code": line.line.code}),
                    f"Forecast outturn £{line.latest_outturn:,.0f} against a budget of "
                    f"£{line.latest:,.0f}" + (f" ({percent:+}%)" if percent is not None else ""),
                    line.rag.capitalize(),
                    RED if line.rag == "red" else ORANGE,
                )
            )
    return [work]


# --- Board member -----------------------------------------------------------------------------


def board_member_lists(user, programme, *, on: dt.date) -> list[WorkList]:
    board = board_selectors.improvement_board(programme)
    work = WorkList("board", "The next board meeting", empty="No board meeting is scheduled.")
    if board is not None:
        meeting = board_selectors.next_meeting(board, today=on)
        if meeting is not None:
            focus = ", ".join(slot.theme.title for slot in meeting.slots.all())
            work.tasks.append(
                Task(
                    f"{meeting.board.name}, {_day(meeting.date)}",
                    reverse("board:meeting", kwargs={"pk": meeting.pk}),
                    f"Themes in focus: {focus}" if focus else "No themes in focus yet",
                    "Next meeting",
                    BLUE,
                )
            )
            pack = board_selectors.published_pack(meeting)
            work.tasks.append(
                Task(
                    "Read the meeting pack",
                    reverse("board:pack", kwargs={"pk": pack.pk}) if pack else "",
                    f"Published {_day(pack.published_at.date())}"
                    if pack and pack.published_at
                    else "The pack is published before the meeting",
                    "Ready to read" if pack else "Not published yet",
                    GREEN if pack else GREY,
                )
            )
    actions = [a for a in board_selectors.my_actions(user) if a.is_open]
    return [work, _actions_list(actions, on)]


# --- Auditor ----------------------------------------------------------------------------------

_ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
_VERBS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass
class _Change:
    """One change for the auditor: when, who, what it belongs to (a theme, a year's budget or a
    board), a sentence saying what happened, the fields it changed and where to read more."""

    when: dt.datetime
    who: object
    context: str
    sentence: str
    status: str
    href: str
    details: list[str] | None = field(default_factory=list)  # None: nothing visible changed


def _fields_changed(record, previous) -> list[str]:
    """What a change did to its record, as the theme history writes it: field labels and
    values in the house style ("Due date: 3 December 2026 → 10 December 2026"); a reference to
    another record is named as changed, never shown as its id."""
    from django.db.models import JSONField

    from themes.history import _field_label, _value

    if previous is None or record.history_type != "~":
        return []
    model = type(record.instance)
    out = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in {"id", "version"} or isinstance(model_field, JSONField):
            continue
        before, after = _value(previous, model_field, {}), _value(record, model_field, {})
        if before == after:
            continue
        label = _field_label(model_field)
        if model_field.is_relation:
            out.append(f"{label} changed")
        else:
            out.append(f"{label}: {before} → {after}")
    return out or None  # None: a save that changed nothing people can see


def _history(model, limit: int, *related: str) -> list:
    """The model's latest changes, each with `previous`: the state before it, where the window
    of records read (three times what is shown, one query) holds it."""
    records = list(
        model.history.select_related("history_user", *related).order_by(
            "-history_date", "-history_id"
        )[: limit * 3]
    )
    older = {}
    for record in reversed(records):
        record.previous = older.get(record.id)
        older[record.id] = record
    return records[:limit]


def _theme_changes(limit: int) -> list[_Change]:
    """Changes to the themes and what is in them: each belongs to its theme, and is read in the
    theme's History part."""
    sources = [
        ("theme", Theme, lambda r: f"“{r.title}”"),
        ("PID", PID, lambda r: ""),
        ("milestone", Milestone, lambda r: f"“{r.title}”"),
        ("measure", Measure, lambda r: f"“{r.name}”"),
        ("risk or issue", Risk, lambda r: f"“{r.description[:90]}”"),
        ("highlight report", HighlightReport, lambda r: f"for {r.period:%B %Y}"),
    ]
    themes = {t.pk: t for t in Theme.objects.only("pk", "slug", "title")}
    changes = []
    for kind, model, name in sources:
        for record in _history(model, limit):
            theme = themes.get(record.id if model is Theme else record.theme_id)
            what = " ".join(part for part in (kind[:1].upper() + kind[1:], name(record)) if part)
            changes.append(
                _Change(
                    record.history_date,
                    record.history_user,
                    theme.title if theme else "A theme since deleted",
                    f"{what} {_VERBS.get(record.history_type, 'changed')}",
                    _ACTIONS.get(record.history_type, "Changed"),
                    reverse("themes:section", args=[theme.slug, "history"]) if theme else "",
                    _fields_changed(record, record.previous),
                )
            )
    return changes


def _budget_changes(limit: int) -> list[_Change]:
    """Changes to the budget: lines, imports, matching rules, rows allocated by hand and period
    closes, each belonging to its year's budget and linked to the budget page that shows it."""
    from budget.models import BudgetLine, MatchingRule, PeriodState, RowAllocation

    years = {
        pk: FinancialYear(start)
        for pk, start in BudgetAllocation.objects.values_list("pk", "start_year")
    }
    lines = {
        pk: (title, code, allocation)
        for pk, title, code, allocation in (
            BudgetLine.objects.values_list("pk", "title", "code", "allocation_id")
        )
    }
    changes = []

    def add(record, allocation_id, sentence, url_name, details=(), **kwargs):
        year = years.get(allocation_id)
        href = reverse(url_name, kwargs={"year": year.slug, **kwargs}) if year else ""
        changes.append(
            _Change(
                record.history_date,
                record.history_user,
                f"Budget {year.label}" if year else "A budget since deleted",
                sentence,
                _ACTIONS.get(record.history_type, "Changed"),
                href,
                None if details is None else list(details),
            )
        )

    for r in _history(BudgetLine, limit):
        add(
            r,
            r.allocation_id,
            f"Budget line “{r.title}” {_VERBS[r.history_type]}",
            "budget:line",
            _fields_changed(r, r.previous),
            code=r.code,
        )
    for r in _history(LedgerImport, limit):
        if r.history_type == "+":
            sentence = f"Ledger file “{r.original_name}” uploaded"
        elif r.status == LedgerImport.Status.IMPORTED and r.rows_imported:
            sentence = (
                f"Ledger file “{r.original_name}” imported: {_plural(r.rows_imported, 'row')}, "
                f"£{r.total_imported:,.2f}"
            )
        else:
            sentence = f"Ledger file “{r.original_name}”: {r.get_status_display().lower()}"
        add(r, r.allocation_id, sentence, "budget:import", pk=r.id)
    for r in _history(MatchingRule, limit):
        title = lines.get(r.line_id, ("a line since deleted",))[0]
        add(
            r,
            r.allocation_id,
            f"Matching rule {_VERBS[r.history_type]}: {r.instance.describe()} → {title}",
            "budget:rules",
            _fields_changed(r, r.previous),
        )
    for r in _history(RowAllocation, limit):
        title, _, allocation_id = lines.get(r.line_id, ("a line since deleted", "", None))
        verb = "allocated by hand to" if r.history_type != "-" else "taken off"
        add(r, allocation_id, f"£{r.amount:,.2f} of a ledger row {verb} {title}", "budget:queue")
    for r in _history(PeriodState, limit):
        year = years.get(r.allocation_id)
        month = f" ({year.period_start(r.period):%B %Y})" if year else ""
        add(
            r,
            r.allocation_id,
            f"Period {r.period}{month} {'closed' if r.closed else 'reopened'}",
            "budget:periods",
        )
    return changes


def _board_changes(limit: int) -> list[_Change]:
    """The board's rota applied, packs published and actions agreed or updated."""
    changes = []
    for run in (
        RotaRun.objects.filter(status=RotaRun.Status.DONE)
        .select_related("requested_by", "board")
        .order_by("-finished_at", "-pk")[:limit]
    ):
        changes.append(
            _Change(
                run.finished_at,
                run.requested_by,
                run.board.name,
                f"Rota applied: {run.message}",
                "Applied",
                reverse("board:rota_history"),
            )
        )
    for pack in (
        MeetingPack.objects.filter(published_at__isnull=False)
        .select_related("published_by", "meeting__board")
        .order_by("-published_at", "-pk")[:limit]
    ):
        meeting = pack.meeting
        changes.append(
            _Change(
                pack.published_at,
                pack.published_by,
                meeting.board.name,
                f"Pack for the meeting of {_day(meeting.date)} published"
                + (f" (version {pack.version})" if pack.version > 1 else ""),
                "Published",
                reverse("board:pack", kwargs={"pk": pack.pk}),
            )
        )
    for r in _history(Action, limit, "meeting__board"):
        changes.append(
            _Change(
                r.history_date,
                r.history_user,
                r.meeting.board.name if r.meeting else "The board",
                f"Action “{r.description[:90]}” {_VERBS.get(r.history_type, 'changed')}",
                _ACTIONS.get(r.history_type, "Changed"),
                reverse("board:actions"),
                _fields_changed(r, r.previous),
            )
        )
    for r in _history(Finding, limit):
        changes.append(
            _Change(
                r.history_date,
                r.history_user,
                "Evaluation",
                f"Finding “{r.title[:90]}” {_VERBS.get(r.history_type, 'changed')}",
                _ACTIONS.get(r.history_type, "Changed"),
                reverse("evaluation:activity_detail", kwargs={"pk": r.activity_id}),
                _fields_changed(r, r.previous),
            )
        )
    return changes


def auditor_lists(*, limit: int = 15) -> list[WorkList]:
    """The latest changes across the programme, each naming the theme, budget or board it
    belongs to in a sentence, with what it changed, linked to where it is read in the service
    (never the admin). A fixed number of queries: one per kind of record."""
    changes = _theme_changes(limit) + _budget_changes(limit) + _board_changes(limit)
    changes = [c for c in changes if c.details is not None]
    changes.sort(key=lambda c: c.when, reverse=True)
    tasks = []
    for change in changes[:limit]:
        user = change.who
        who = (user.get_full_name() or user.get_username()) if user else "the system"
        when = timezone.localtime(change.when)
        detail = "; ".join(change.details[:3]) + ("; …" if len(change.details) > 3 else "")
        tasks.append(
            Task(
                f"{change.context}: {change.sentence}",
                change.href,
                (f"{detail}. " if detail else "")
                + f"By {who}, {_day(when.date())} at {when:%H:%M}",
                change.status,
                GREY,
            )
        )
    return [WorkList("auditor", "Recent changes", tasks, empty="Nothing has changed yet.")]


# --- Everyone ---------------------------------------------------------------------------------


def _role_lists(user, programme, on: dt.date) -> list[tuple[str, Callable, tuple[str, ...]]]:
    """(role, its lists, the areas of programme data they show), in the order the page shows
    them. The areas are what keeps each role's lists in the summaries cache: a lead's new
    reading leaves a board member's or a finance officer's lists kept."""
    everything = (*summaries.EVERY_APP, summaries.PROGRAMME)
    return [
        (roles.PROGRAMME_MANAGER, lambda: programme_manager_lists(programme, on=on), everything),
        (
            roles.PROJECT_LEAD,
            lambda: lead_lists(user, on=on),
            (summaries.THEMES, summaries.BOARD, summaries.PROGRAMME),
        ),
        (roles.FINANCE_OFFICER, lambda: finance_lists(programme, on=on), BUDGET_AREAS),
        (
            roles.BOARD_MEMBER,
            lambda: board_member_lists(user, programme, on=on),
            (summaries.BOARD, summaries.PROGRAMME),
        ),
        (roles.AUDITOR, auditor_lists, everything),
    ]


def home_lists(user, programme, *, on: dt.date | None = None, kept: bool = False) -> list[WorkList]:
    """The lists for each role the user holds, in a fixed order. `kept`: for the page, each
    role's lists come from the summaries cache until the data they show changes."""
    on = on or theme_selectors.today()
    held = roles.role_names(user)
    lists: list[WorkList] = []
    for role, build, areas in _role_lists(user, programme, on):
        if role not in held:
            continue
        if kept:
            key = ("home", role.replace(" ", "-"), user.pk, programme.pk, on.isoformat())
            lists += summaries.cached(key, build, areas=areas)
        else:
            lists += build()
    lists += selfevaluation_home.home_lists(user, programme, on=on, work_list=WorkList, task=Task)
    seen: set[str] = set()
    unique = []
    for work in lists:  # a lead who sits on the board sees their actions once
        if work.key not in seen:
            seen.add(work.key)
            unique.append(work)
    return unique
