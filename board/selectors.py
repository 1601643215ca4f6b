import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from budget.models import BudgetAllocation
from programme.models import Programme
from themes import selectors as theme_selectors
from themes.models import HighlightReport, Theme

from .models import (
    Action,
    Board,
    BoardSettings,
    Decision,
    Meeting,
    MeetingPack,
    RotaPin,
    RotaSlot,
)


def boards(programme):
    return Board.objects.filter(programme=programme).order_by("order")


def improvement_board(programme) -> Board | None:
    """The board that meets on a rota (the first one, if a programme ever had two)."""
    return (
        Board.objects.filter(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
        .order_by("order", "pk")
        .first()
    )


def board_settings(board: Board) -> BoardSettings:
    """The board's settings, or the defaults (unsaved) until the programme manager sets them."""
    return BoardSettings.objects.filter(board=board).first() or BoardSettings(board=board)


def programme_summary(*, programme_id: int) -> dict:
    """The headline figures the programme is known by — themes, strands, money allocated.
    JSON-safe (money as a string, never a float) so a task can return it."""
    programme = Programme.objects.get(pk=programme_id)
    total = BudgetAllocation.objects.filter(programme=programme).aggregate(t=Sum("amount"))["t"]
    return {
        "programme": programme.name,
        "themes": programme.themes.count(),
        "evaluation_strands": programme.strands.count(),
        "budget_total": str(total or Decimal("0.00")),
    }


def meetings_with_rota(board: Board, *, cancelled: bool = False):
    """The board's meetings with their focus themes, pins and packs, in a fixed number of
    queries whatever the calendar holds. Cancelled meetings are left out (they are off the
    rota, packs and reminders) unless `cancelled`, for the calendar that tells of them."""
    meetings = Meeting.objects.filter(board=board)
    if not cancelled:
        meetings = meetings.filter(cancelled_at__isnull=True)
    return (
        meetings.select_related("board")
        .prefetch_related(
            Prefetch("slots", queryset=RotaSlot.objects.select_related("theme")),
            Prefetch("pins", queryset=RotaPin.objects.select_related("theme")),
            Prefetch("packs", queryset=MeetingPack.objects.order_by("-version")),
        )
        .order_by("date", "pk")
    )


def next_meeting(board: Board, *, today: dt.date | None = None) -> Meeting | None:
    today = today or theme_selectors.today()
    return meetings_with_rota(board).filter(date__gte=today).first()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            board=meeting.board_id, date__lt=meeting.date, cancelled_at__isnull=True
        )
        .order_by("-date")
        .first()
    )


def current_pack(meeting: Meeting) -> MeetingPack | None:
    """The newest version of the meeting's pack (uses the prefetch when there is one)."""
    packs = list(meeting.packs.all())
    return max(packs, key=lambda p: p.version) if packs else None


def published_pack(meeting: Meeting) -> MeetingPack | None:
    packs = [p for p in meeting.packs.all() if p.is_published]
    return max(packs, key=lambda p: p.version) if packs else None


def pack_deadline(meeting: Meeting, settings: BoardSettings) -> dt.date:
    """The day the pack is built: highlight reports must be in by then."""
    return meeting.date - dt.timedelta(days=settings.pack_days_before)


def open_actions(board: Board):
    """Actions still open, from this board's meetings: they carry forward."""
    return (
        Action.objects.filter(meeting__board=board)
        .exclude(status=Action.Status.DONE)
        .select_related("owner", "theme", "meeting")
        .order_by("due_date", "pk")
    )


def actions_log(board: Board):
    return (
        Action.objects.filter(meeting__board=board)
        .select_related("owner", "theme", "meeting")
        .order_by("status", "due_date", "pk")
    )


def my_actions(user):
    return (
        Action.objects.filter(owner=user)
        .select_related("theme", "meeting__board")
        .order_by("status", "due_date", "pk")
    )


def theme_focus_meetings(theme: Theme):
    return (
        Meeting.objects.filter(slots__theme=theme, cancelled_at__isnull=True)
        .select_related("board")
        .order_by("date", "pk")
    )


# What a draft pack does not show ----------------------------------------------------------------


def pack_changes(pack: MeetingPack) -> list[str]:
    """What has changed in the programme since a draft pack was built: highlight reports
    submitted, readings of the focus themes' measures added or corrected, budget periods closed.
    A fixed number of queries; empty for a pack not built yet, or published (frozen)."""
    from budget.models import PeriodState
    from havering_improve.fy import period_month_name
    from themes.models import MeasureReading

    if pack.built_at is None or pack.is_published:
        return []
    meeting = pack.meeting
    since = pack.built_at
    changes = []
    reports = (
        theme_selectors.submitted_reports(programme=meeting.board.programme_id)
        .filter(submitted_at__gt=since)
        .select_related("theme")
        .order_by("theme__number", "period", "revision")
    )
    for report in reports:
        submitted = timezone.localtime(report.submitted_at)
        changes.append(
            f"{report.theme.title}: the {report.period:%B %Y} highlight report was submitted "
            f"on {submitted:%-d %B %Y at %H:%M}."
        )
    readings = (
        MeasureReading.history.filter(
            history_date__gt=since, measure__theme__rota_slots__meeting=meeting
        )
        .values("measure__name", "measure__theme__title")
        .annotate(n=Count("history_id"))
        .order_by("measure__theme__title", "measure__name")
    )
    for row in readings:
        n = row["n"]
        changes.append(
            f"{row['measure__theme__title']}: {n} reading{'s' if n != 1 else ''} of "
            f"“{row['measure__name']}” added or corrected."
        )
    closed = (
        PeriodState.history.filter(
            history_date__gt=since,
            closed=True,
            allocation__programme=meeting.board.programme_id,
        )
        .select_related("allocation")
        .order_by("history_date")
    )
    for state in closed:
        changes.append(
            f"Budget: period {state.period} ({period_month_name(state.period)}) of "
            f"{state.allocation.financial_year.label} was closed on "
            f"{timezone.localtime(state.history_date):%-d %B %Y at %H:%M}."
        )
    return changes + _other_changes(meeting, since)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _other_changes(meeting: Meeting, since) -> list[str]:
    """The rest of what a pack shows, changed since `since`, read from each record's history:
    milestones (the overview's overdue list and the focus themes' own), risks and issues
    (escalations, the focus themes' risk logs), measures, board actions and decisions,
    evaluation activities and findings, and the budget's imports, lines, posts, commitments
    and virements. One query per kind of record, counted by theme."""
    from budget.models import BudgetLine, Commitment, LedgerImport, LineMonth, Post, Virement
    from evaluation.models import AuditResult, EvaluationActivity, FeedbackResult, Finding
    from themes.models import Measure, Milestone, Risk

    programme = meeting.board.programme_id
    changes = []
    by_theme = [
        (Milestone, "milestone", "", {"theme__programme": programme}),
        (Risk, "risk or issue", "risks or issues", {"theme__programme": programme}),
        (Measure, "measure", "", {"theme__rota_slots__meeting": meeting}),
    ]
    for model, word, plural, filters in by_theme:
        rows = (
            model.history.filter(history_date__gt=since, **filters)
            .values("theme__number", "theme__title")
            .annotate(n=Count("id", distinct=True))
            .order_by("theme__number")
        )
        for row in rows:
            changes.append(
                f"{row['theme__title']}: {_plural(row['n'], word, plural)} added, changed "
                "or removed."
            )
    programme_wide = [
        (Action.history.filter(meeting__board=meeting.board_id), "Board actions", "action"),
        (
            Decision.history.filter(meeting__board=meeting.board_id),
            "Board decisions",
            "decision",
        ),
        (
            EvaluationActivity.history.filter(programme=programme),
            "Evaluation",
            "activity",
        ),
        (Finding.history.filter(activity__programme=programme), "Evaluation", "finding"),
        (
            AuditResult.history.filter(activity__programme=programme),
            "Evaluation",
            "audit result",
        ),
        (
            FeedbackResult.history.filter(activity__programme=programme),
            "Evaluation",
            "feedback result",
        ),
        (
            LedgerImport.objects.filter(
                allocation__programme=programme, confirmed_at__isnull=False
            ).annotate(history_date=models.F("confirmed_at")),
            "Budget",
            "ledger import",
        ),
        (BudgetLine.history.filter(allocation__programme=programme), "Budget", "budget line"),
        (
            LineMonth.history.filter(line__allocation__programme=programme),
            "Budget",
            "monthly profile or forecast line",
        ),
        (Post.history.filter(line__allocation__programme=programme), "Budget", "post"),
        (
            Commitment.history.filter(line__allocation__programme=programme),
            "Budget",
            "commitment",
        ),
        (Virement.history.filter(allocation__programme=programme), "Budget", "virement"),
    ]
    for queryset, area, word in programme_wide:
        n = queryset.filter(history_date__gt=since).values("id").distinct().count()
        if n:
            plural = word[:-1] + "ies" if word.endswith("y") else ""
            changes.append(f"{area}: {_plural(n, word, plural)} added or changed.")
    return changes


def pack_warnings(pack: MeetingPack) -> list[str]:
    """Every open warning about a pack before it is published: focus themes whose highlight
    report is missing, late or older than expected, and what has changed since it was built."""
    warnings = []
    for theme in (pack.snapshot or {}).get("focus", []):
        check = theme.get("report_check")
        if check and check["flagged"]:
            warnings.append(f"{theme['title']}: {check['message']}")
    return warnings + pack_changes(pack)


def asked_report(meeting: Meeting, report_id) -> HighlightReport | None:
    """A submitted highlight report of one of the meeting's programme's themes that asks the
    Board for a decision, by its id as a page sends it; None for anything else."""

    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        return None
    return (
        HighlightReport.objects.filter(
            pk=pk,
            theme__programme=meeting.board.programme_id,
            status=HighlightReport.Status.SUBMITTED,
        )
        .select_related("theme__lead")
        .first()
    )
