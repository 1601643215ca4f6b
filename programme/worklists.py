"""Each person's home page: what needs them, one list per role they hold.

Every list is built in a fixed number of queries whatever the programme holds (one query per
kind of record, never one per theme, row or meeting), so the home page's query count stays the
same as the data grows (tests/test_worklists.py pins it at two data sizes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from board import selectors as board_selectors
from board.models import Action, BoardSettings, Meeting, MeetingPack, RotaRun, RotaSlot
from budget import periods as budget_periods
from budget.models import BudgetAllocation, LedgerImport, LedgerRow
from budget.selectors import BUDGET_AREAS, cached_budget_report
from evaluation.models import Finding
from havering_improve import roles, summaries
from havering_improve.fy import FinancialYear
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
        RotaSlot.objects.filter(theme_id__in=theme_ids, meeting__date__gte=on)
        .select_related("meeting__board")
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
            tasks.append(
                Task(
                    f"Finish and submit the {month} highlight report",
                    reverse("themes:report", kwargs={"slug": theme.slug, "pk": report.pk}),
                    f"Due {_day(due)}",
                    "In progress",
                    ORANGE,
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
        meeting, deadline = focus.get(theme.pk, (None, None))
        if meeting is not None:
            tasks.append(
                Task(
                    f"In focus at the {meeting.board.short_name or meeting.board.name} "
                    f"on {_day(meeting.date)}",
                    reverse("board:meeting", kwargs={"pk": meeting.pk}),
                    f"Your highlight report is due for its pack by {_day(deadline)}",
                    "Report due" if deadline >= on else "Pack being built",
                    BLUE if deadline >= on else GREY,
                )
            )
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
    last = (
        LedgerImport.objects.filter(allocation=allocation)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
        .first()
    )
    if last is not None:
        colour = {
            LedgerImport.Status.IMPORTED: GREEN,
            LedgerImport.Status.REJECTED: RED,
            LedgerImport.Status.PREVIEWED: BLUE,
        }.get(last.status, GREY)
        who = last.uploaded_by.get_full_name() or last.uploaded_by.get_username()
        work.tasks.append(
            Task(
                f"Last import: {last.original_name}",
                reverse("budget:import", kwargs={"year": year, "pk": last.pk}),
                f"Uploaded {_day(last.uploaded_at.date())} by {who}",
                last.get_status_display(),
                colour,
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


def _history_sources():
    """(kind, model, what to call the record, whether its history is a theme's History part)
    for the records whose changes the auditor sees; the others' history is in the admin."""
    from budget.models import BudgetLine

    return [
        ("Theme", Theme, lambda r: r.title, True),
        ("PID", PID, lambda r: "Project initiation document", True),
        ("Milestone", Milestone, lambda r: r.title, True),
        ("Measure", Measure, lambda r: r.name, True),
        ("Risk or issue", Risk, lambda r: r.description[:90], True),
        ("Highlight report", HighlightReport, lambda r: f"{r.period:%B %Y} report", True),
        ("Budget line", BudgetLine, lambda r: r.title, False),
        ("Ledger import", LedgerImport, lambda r: r.original_name, False),
        ("Board action", Action, lambda r: r.description[:90], False),
        ("Finding", Finding, lambda r: r.title[:90], False),
    ]


def auditor_lists(*, limit: int = 15) -> list[WorkList]:
    records = []
    for kind, model, label, in_theme in _history_sources():
        for record in model.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:limit]:
            if in_theme:
                link = ("theme", record.id if model is Theme else record.theme_id)
            else:
                link = ("admin", model._meta, record.id)
            records.append((record, kind, label(record), link))
    records.sort(key=lambda item: (item[0].history_date, item[0].history_id), reverse=True)
    records = records[:limit]
    slugs = dict(
        Theme.objects.filter(
            pk__in={link[1] for _, _, _, link in records if link[0] == "theme"}
        ).values_list("pk", "slug")
    )
    tasks = []
    for record, kind, label, link in records:
        if link[0] == "theme":
            slug = slugs.get(link[1])
            href = reverse("themes:section", args=[slug, "history"]) if slug else ""
        else:
            meta = link[1]
            try:
                href = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[link[2]])
            except NoReverseMatch:
                href = ""
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else "the system"
        when = record.history_date
        tasks.append(
            Task(
                f"{kind}: {label}",
                href,
                f"{_ACTIONS.get(record.history_type, 'Changed')} by {who}, "
                f"{_day(when.date())} at {when:%H:%M}",
                _ACTIONS.get(record.history_type, "Changed"),
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
    seen: set[str] = set()
    unique = []
    for work in lists:  # a lead who sits on the board sees their actions once
        if work.key not in seen:
            seen.add(work.key)
            unique.append(work)
    return unique
