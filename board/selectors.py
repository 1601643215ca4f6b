import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, Sum

from budget.models import BudgetAllocation
from havering_improve import roles
from programme.models import Programme
from themes import selectors as theme_selectors
from themes.models import HighlightReport, Theme

from .models import (
    Action,
    Board,
    BoardSettings,
    Meeting,
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
            "packs",  # newest version first
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


def current_pack(meeting: Meeting):
    """The newest version of the meeting's pack (uses the prefetch when there is one)."""
    packs = list(meeting.packs.all())
    return max(packs, key=lambda p: p.version) if packs else None


def published_pack(meeting: Meeting):
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


def meeting_people(meeting: Meeting):
    """The meeting's people: every board member, and the lead of each theme in its focus (who
    presents it), active and with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=roles.BOARD_MEMBER)
            | Q(groups__name=roles.PROJECT_LEAD, led_themes__rota_slots__meeting=meeting)
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def theme_focus_meetings(theme: Theme):
    return (
        Meeting.objects.filter(slots__theme=theme, cancelled_at__isnull=True)
        .select_related("board")
        .order_by("date", "pk")
    )


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
