"""Highlight-report reminders: each focus theme's lead whose report for a coming meeting's pack
is not in is e-mailed some working days before the pack is built, and on the day. Each reminder
is sent once."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse

from board import selectors as board_selectors
from board.models import Board, Meeting
from havering_improve import actions
from havering_improve.mail import send_email, site_url
from themes import selectors as theme_selectors
from themes.selectors import expected_report_period, report_due_date

from ..models import ReminderSent

logger = logging.getLogger(__name__)


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The date n working days (Monday to Friday) before `day`. Bank holidays are not known
    to the app, so a reminder may land on one."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@actions.action("system", atomic=False)
def reminders_send(*, actor=None, today: dt.date | None = None) -> int:
    """Email each focus theme's lead whose highlight report for a coming meeting's pack is not
    in: N working days before the pack deadline, and on the deadline day. A ReminderSent row per
    (meeting, theme, kind) is unique, so running the job twice sends each reminder once."""
    today = today or theme_selectors.today()
    sent = 0
    for board in Board.objects.filter(kind=Board.Kind.IMPROVEMENT_BOARD):
        settings = board_selectors.board_settings(board)
        upcoming = (
            Meeting.objects.filter(board=board, date__gt=today, cancelled_at__isnull=True)
            .prefetch_related("slots__theme__lead")
            .order_by("date")
        )
        for meeting in upcoming:
            deadline = board_selectors.pack_deadline(meeting, settings)
            if today == deadline:
                kind = ReminderSent.Kind.DEADLINE
            elif today == working_days_before(deadline, settings.reminder_working_days):
                kind = ReminderSent.Kind.AHEAD
            else:
                continue
            # The convention (themes.selectors): the pack shows the period due by its deadline.
            expected = expected_report_period(deadline)
            for slot in meeting.slots.all():
                theme, lead = slot.theme, slot.theme.lead
                if lead is None or not lead.email:
                    continue
                latest = theme_selectors.latest_submitted_report(theme)
                if latest is not None and latest.period >= expected:
                    continue
                try:
                    with transaction.atomic():
                        record = ReminderSent.objects.create(
                            meeting=meeting, theme=theme, kind=kind, recipient=lead.email
                        )
                except IntegrityError:
                    continue  # already sent by an earlier run
                context = {
                    "meeting": meeting,
                    "theme": theme,
                    "lead": lead,
                    "deadline": deadline,
                    "period": expected,
                    "period_due": report_due_date(expected),
                    "kind": kind,
                    "today": today,
                    "link": site_url(_report_to_write(theme, expected)),
                }
                try:
                    send_email("reporting/email/reminder", context, to=[lead.email])
                except Exception:
                    # Not sent: drop the record so the next run tries again.
                    logger.exception("Reminder to %s not sent", lead.email)
                    record.delete()
                    continue
                sent += 1
    return sent


def _report_to_write(theme, period: dt.date) -> str:
    """Where a lead writes the period's report: its draft if one is started, else the page that
    starts it with that month chosen."""
    draft = (
        theme.highlight_reports.filter(period=period, status="draft").order_by("-revision").first()
    )
    if draft is not None:
        return reverse("themes:report_edit", kwargs={"slug": theme.slug, "pk": draft.pk})
    start = reverse("themes:report_start", kwargs={"slug": theme.slug})
    return f"{start}?period={period:%Y-%m-%d}"
