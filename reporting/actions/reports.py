"""Progress reports to the bodies that receive them: the periods a schedule owes, each report
made as at its send day from a snapshot, stored as HTML and PDF and e-mailed once to each
recipient; "Make this report now"; a failed report tried again; a body's schedule."""

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from board.models import Board
from havering_improve import actions, outbox, roles
from havering_improve.actions import KEEP, Keep, given
from havering_improve.mail import email_message
from themes import selectors as theme_selectors

from ..documents import pdf_of, render_report_document, render_report_html
from ..models import ProgressReport, ReportDelivery, ReportSchedule
from ..snapshot import report_snapshot
from .packs import checksum, snapshot_bytes

logger = logging.getLogger(__name__)


def report_period(frequency: str, *, containing: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter (January–March, April–June…, so also financial-year quarters)
    that contains a date."""
    if frequency == ReportSchedule.Frequency.MONTHLY:
        start = containing.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
    start = containing.replace(month=(containing.month - 1) // 3 * 3 + 1, day=1)
    return start, start + relativedelta(months=3, days=-1)


def report_due_period(schedule, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last period that has ended and whose send day has come."""
    start, _ = report_period(schedule.frequency, containing=today)
    previous_start, previous_end = report_period(
        schedule.frequency, containing=start - dt.timedelta(days=1)
    )
    send_on = start + dt.timedelta(days=schedule.send_day - 1)
    if today >= send_on:
        return previous_start, previous_end
    return report_period(schedule.frequency, containing=previous_start - dt.timedelta(days=1))


# A schedule started long ago, or a beat down for a long time, catches up at most this many.
CATCH_UP_PERIODS = 24


def report_periods_due(schedule, *, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every period the schedule owes a report for by `today`, oldest first: from its first
    period (if set) to the last one whose send day has come."""
    start, end = report_due_period(schedule, today=today)
    if schedule.first_period is None:
        return [(start, end)]
    first = report_period(schedule.frequency, containing=schedule.first_period)[0]
    periods = []
    while start >= first and len(periods) < CATCH_UP_PERIODS:
        periods.append((start, end))
        start, end = report_period(schedule.frequency, containing=start - dt.timedelta(days=1))
    return periods[::-1]


def report_send_date(schedule, period_end: dt.date) -> dt.date:
    """The day a period's report goes out: `send_day` of the month after the period."""
    return period_end + dt.timedelta(days=schedule.send_day)


def _report_create(schedule, start: dt.date, end: dt.date):
    """The report for one period, queued to be made and sent; None if it exists already."""
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                schedule=schedule, period_start=start, period_end=end
            )
            outbox.enqueue("reporting.tasks.report_generate_task", report.pk)
    except IntegrityError:
        return None
    return report


@actions.action("system", atomic=False)
def reports_due(*, actor=None, today: dt.date | None = None) -> list[int]:
    """Make the reports each active schedule owes. One report per schedule and period (a unique
    constraint), so beat running twice on a day makes and sends each once."""
    today = today or theme_selectors.today()
    made = []
    for schedule in ReportSchedule.objects.filter(active=True):
        for start, end in report_periods_due(schedule, today=today):
            report = _report_create(schedule, start, end)
            if report is not None:
                made.append(report.pk)
    return made


@actions.action("can_manage_board")
def report_make_now(*, schedule, actor, today: dt.date | None = None):
    """ "Make this report now": the report for the latest period that has ended, without
    waiting for its send day. Refused, naming it, if that report exists."""
    today = today or theme_selectors.today()
    current_start, _ = report_period(schedule.frequency, containing=today)
    start, end = report_period(schedule.frequency, containing=current_start - dt.timedelta(days=1))
    report = _report_create(schedule, start, end)
    if report is None:
        existing = ProgressReport.objects.get(schedule=schedule, period_start=start)
        raise ValidationError(
            f"The report for the period ending {end:%-d %B %Y} has been made already "
            f"({existing.get_status_display().lower()})."
        )
    return report


def report_attachment_name(report) -> str:
    """The PDF's file name: the body it is for and the period, so the reports to two bodies
    for one month never share a name in someone's downloads."""
    board = report.schedule.board
    months = f"{report.period_start:%Y-%m}"
    if report.period_end.replace(day=1) != report.period_start:
        months += f"-to-{report.period_end:%Y-%m}"
    return f"{board.slug}-progress-report-{months}.pdf"


def _progress_report_context(report) -> dict:
    """What a progress report's e-mail says: to whom, what it covers, who sends it."""
    board = report.schedule.board
    programme = board.programme
    managers = (
        get_user_model()
        .objects.filter(groups__name=roles.PROGRAMME_MANAGER, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    improvement_board = (
        Board.objects.filter(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
        .order_by("order")
        .first()
    )
    return {
        "report": report,
        "board": board,
        "programme": programme,
        "period": report.snapshot["period"],
        "sections": [
            report.snapshot["section_titles"][key]
            for key in report.snapshot.get("sections", [])
            if key in report.snapshot.get("section_titles", {})
        ],
        "senders": [m.get_full_name() or m.username for m in managers],
        "improvement_board": improvement_board,
        "attachment": report_attachment_name(report),
    }


@actions.action("system", atomic=False)
def report_generate(*, report_id: int, actor=None):
    """Render the report from a snapshot, store it, and email it to each recipient not yet sent
    it (a ReportDelivery per recipient is unique)."""
    report = ProgressReport.objects.select_related("schedule__board").get(pk=report_id)
    if report.status == ProgressReport.Status.SENT:
        return report
    schedule = report.schedule
    try:
        if not report.snapshot:
            # A report is as at its send day: one made later (a catch-up) shows no more.
            send_day = report_send_date(schedule, report.period_end)
            as_of = min(
                timezone.now(),
                timezone.make_aware(dt.datetime.combine(send_day, dt.time.max)),
            )
            snapshot = report_snapshot(
                schedule=schedule,
                period_start=report.period_start,
                period_end=report.period_end,
                as_of=as_of,
            )
            html = render_report_html(snapshot)
            pdf = pdf_of(render_report_document(snapshot))
            report.snapshot = snapshot
            report.snapshot_sha256 = checksum(snapshot_bytes(snapshot))
            report.html.save("report.html", ContentFile(html.encode()), save=False)
            report.pdf.save("report.pdf", ContentFile(pdf), save=False)
            report.generated_at = timezone.now()
            report.save()
        context = _progress_report_context(report)
        done = set(report.deliveries.values_list("recipient", flat=True))
        pdf_bytes = report.pdf.open("rb").read()
        report.pdf.close()
        for recipient in schedule.recipient_list:
            if recipient in done:
                continue
            try:
                with transaction.atomic():
                    ReportDelivery.objects.create(report=report, recipient=recipient)
            except IntegrityError:
                continue
            message = email_message(
                "reporting/email/progress_report",
                context,
                to=[recipient],
                attachments=[(report_attachment_name(report), pdf_bytes, "application/pdf")],
            )
            try:
                message.send()
            except Exception:
                ReportDelivery.objects.filter(report=report, recipient=recipient).delete()
                raise
    except Exception as exc:
        logger.exception("Progress report %s failed", report_id)
        report.status, report.error = ProgressReport.Status.FAILED, f"{type(exc).__name__}: {exc}"
        report.save(update_fields=["status", "error"])
        return report
    report.status, report.error = ProgressReport.Status.SENT, ""
    report.save(update_fields=["status", "error"])
    return report


@actions.action("can_manage_board")
def report_retry(*, report, actor) -> None:
    if report.status != ProgressReport.Status.FAILED:
        raise ValidationError("Only a failed report can be tried again.")
    report.status = ProgressReport.Status.BUILDING
    report.save(update_fields=["status"])
    outbox.enqueue("reporting.tasks.report_generate_task", report.pk)


@actions.action("can_manage_board")
def schedule_save(
    *,
    board: Board,
    actor,
    version: int | None = None,
    frequency: str | Keep = KEEP,
    send_day: int | Keep = KEEP,
    sections: list[str] | Keep = KEEP,
    recipients: str | Keep = KEEP,
    first_period: dt.date | None | Keep = KEEP,
    active: bool | Keep = KEEP,
) -> ReportSchedule:
    """A reporting body's schedule: made, or changed from the `version` its form was opened at
    (`actions.save_current`); a field not given keeps its value."""
    if board.kind != Board.Kind.REPORTING_BODY:
        raise ValidationError(f"{board} is not a body that receives progress reports.")
    return actions.save_current(
        ReportSchedule.objects.filter(board=board).first() or ReportSchedule(board=board),
        version,
        given(
            frequency=frequency,
            send_day=send_day,
            sections=sections,
            recipients=recipients,
            first_period=first_period,
            active=active,
        ),
    )
