"""Demo data for packs and progress reports: the last meeting held has its published pack and
the next meeting its pack ready to publish; the four bodies have progress-report schedules
(whose reports the scheduled job makes, from the first meeting's month on). Idempotent: a board
that already has packs is left alone."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from board import selectors as board_selectors
from board.models import Board
from havering_improve.actions import backdate

from .actions import packs, reports
from .models import MeetingPack, ReportSchedule

SCHEDULES = {
    "lscb": ("quarterly", ["overview", "milestones", "risks", "decisions", "actions"]),
    "slt": ("monthly", ["overview", "milestones", "risks", "decisions", "actions"]),
    "scrutiny": ("quarterly", ["overview", "milestones", "decisions"]),
    "executive": ("quarterly", ["overview", "decisions"]),
}


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def demo_data_load(*, programme, stdout=None) -> None:
    board = board_selectors.improvement_board(programme)
    if board is None or MeetingPack.objects.filter(meeting__board=board).exists():
        _say(stdout, "Packs and reports demo data already loaded; nothing changed.")
        return
    meetings = list(board_selectors.meetings_with_rota(board))
    if not meetings:
        _say(stdout, "The board has no meetings: no packs made.")
        return
    manager = get_user_model().objects.filter(username="programme.manager").first()
    today = timezone.localdate()
    past = [m for m in meetings if m.date < today]
    upcoming = [m for m in meetings if m.date >= today]
    if past:
        _build(past[-1], publish_by=manager)
    if upcoming:
        _build(upcoming[0], publish_by=None)
    first_month = meetings[0].date.replace(day=1)
    for slug, (frequency, sections) in SCHEDULES.items():
        body = Board.objects.filter(programme=programme, slug=slug).first()
        if body is not None and not ReportSchedule.objects.filter(board=body).exists():
            reports.schedule_save(
                board=body,
                actor=manager,
                frequency=frequency,
                send_day=5,
                sections=sections,
                recipients=f"{slug}.clerk@havering.example",
                # The scheduled job (run by `make run`'s beat) makes and sends every report
                # due since the board's year began, so the demo has past reports to read.
                first_period=first_month,
                active=True,
            )
    _say(
        stdout,
        f"Packs: {'a published pack for ' + str(past[-1]) if past else 'no past meeting'}, "
        "the next meeting's pack ready; report schedules for the other bodies.",
    )


def _build(meeting, *, publish_by):
    """Build a pack here and now: the demo must work with no worker running. A past meeting's
    pack is dated as the clerk would have done it: built and published the week before."""
    pack = MeetingPack.objects.create(meeting=meeting, version=1)
    pack = packs.pack_build(pack_id=pack.pk, attempt=pack.build_attempt)
    if publish_by is not None and pack.status == MeetingPack.Status.READY:
        packs.pack_publish(pack=pack, actor=publish_by)
        week_before = meeting.date - dt.timedelta(days=7)
        backdate(
            pack,
            built_at=timezone.make_aware(dt.datetime.combine(week_before, dt.time(11))),
            published_at=timezone.make_aware(dt.datetime.combine(week_before, dt.time(15))),
        )
