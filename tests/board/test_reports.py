"""Scheduled progress reports to the reporting bodies."""

import datetime as dt
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from reporting import render as pdf_render
from reporting import snapshot as snapshots
from reporting.actions import reports as report_actions
from reporting.models import ProgressReport, ReportDelivery, ReportSchedule
from tests.board.factories import ActionFactory, MeetingFactory
from tests.themes.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scrutiny_schedule(scrutiny):
    return ReportSchedule.objects.create(
        board=scrutiny,
        frequency=ReportSchedule.Frequency.QUARTERLY,
        send_day=5,
        sections=["overview", "decisions", "actions"],
        recipients="clerk@havering.example\nchair@havering.example",
    )


@pytest.fixture
def decisions(board, lead):
    meeting = MeetingFactory(board=board, date=dt.date(2026, 8, 12))
    meeting.decisions.create(text="Publish the supervision audit")
    meeting.decisions.create(text="Named worker's case to be reviewed", restricted=True)
    ActionFactory(meeting=meeting, owner=lead, description="Brief the cabinet member")
    ActionFactory(
        meeting=meeting, owner=lead, description="Staff grievance follow-up", restricted=True
    )
    return meeting


def test_quarterly_reports_cover_the_last_full_quarter_from_the_send_day():
    schedule = ReportSchedule(frequency="quarterly", send_day=5)
    assert report_actions.report_due_period(schedule, today=dt.date(2026, 10, 5)) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    assert report_actions.report_due_period(schedule, today=dt.date(2026, 10, 4)) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )


def test_the_job_run_twice_makes_and_sends_each_report_once(
    scrutiny_schedule, decisions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(today=dt.date(2026, 10, 6))
        report_actions.reports_due(today=dt.date(2026, 10, 6))
    report = ProgressReport.objects.get()
    assert report.status == ProgressReport.Status.SENT
    assert (report.period_start, report.period_end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chair@havering.example",
        "clerk@havering.example",
    ]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert ReportDelivery.objects.count() == 2
    report_actions.report_generate(report_id=report.pk)  # a redelivered task sends nothing more
    assert len(mail.outbox) == 2


def test_the_overdue_milestones_are_those_due_before_the_period_ends_and_not_done_by_then(
    scrutiny_schedule, theme
):
    end = dt.date(2026, 9, 30)
    MilestoneFactory(
        theme=theme, title="Due the day before the end", due_date=end - dt.timedelta(1)
    )
    MilestoneFactory(theme=theme, title="Due on the last day", due_date=end)
    MilestoneFactory(
        theme=theme,
        title="Done after the period",
        due_date=dt.date(2026, 9, 1),
        status="done",
        completed_on=dt.date(2026, 10, 2),
    )
    MilestoneFactory(
        theme=theme,
        title="Done on the last day",
        due_date=dt.date(2026, 9, 1),
        status="done",
        completed_on=end,
    )

    snapshot = snapshots.report_snapshot(
        schedule=scrutiny_schedule, period_start=dt.date(2026, 7, 1), period_end=end
    )

    overdue = [m["title"] for m in snapshot["milestones"] if m["theme"] == theme.title]
    assert "Due the day before the end" in overdue
    assert "Done after the period" in overdue
    assert "Due on the last day" not in overdue
    assert "Done on the last day" not in overdue


def test_a_public_body_never_gets_restricted_items(
    scrutiny_schedule, decisions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(today=dt.date(2026, 10, 6))
    report = ProgressReport.objects.get()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf.read())).pages)
    assert "Publish the supervision audit" in text
    assert "Brief the cabinet member" in text
    assert "Named worker" not in text and "grievance" not in text


def test_a_private_body_gets_restricted_items(slt, decisions, django_capture_on_commit_callbacks):
    ReportSchedule.objects.create(
        board=slt,
        frequency="monthly",
        send_day=1,
        sections=["decisions"],
        recipients="slt@havering.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(today=dt.date(2026, 9, 1))
    snapshot = ProgressReport.objects.get().snapshot
    assert "Named worker's case to be reviewed" in [d["text"] for d in snapshot["decisions"]]


def test_the_manager_previews_a_report_and_sees_what_was_sent(
    client, programme_manager, scrutiny_schedule, decisions, django_capture_on_commit_callbacks
):
    client.force_login(programme_manager)
    preview = client.get(f"/board/reports/bodies/{scrutiny_schedule.board.pk}/preview/")
    assert "Preview with today" in preview.content.decode()
    assert not ProgressReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(today=dt.date(2026, 10, 6))
    page = client.get("/board/reports/").content.decode()
    assert "clerk@havering.example" in page
    report = ProgressReport.objects.get()
    assert client.get(f"/board/reports/{report.pk}/pdf/")["Content-Type"] == "application/pdf"


def test_the_manager_sets_a_schedule_and_a_bad_address_is_named(client, programme_manager, slt):
    client.force_login(programme_manager)
    url = f"/board/reports/bodies/{slt.pk}/"
    bad = client.post(
        url,
        {
            "frequency": "monthly",
            "send_day": "3",
            "sections": ["overview"],
            "recipients": "slt@havering.example\nnot-an-address",
            "version": "0",  # the form as opened before the body had a schedule
        },
    )
    assert "Line 2 is not an email address: not-an-address" in bad.content.decode()
    assert not ReportSchedule.objects.exists()
    client.post(
        url,
        {
            "frequency": "monthly",
            "send_day": "3",
            "sections": ["overview"],
            "recipients": "slt@havering.example",
            "active": "on",
            "version": "0",
        },
    )
    assert ReportSchedule.objects.get().recipient_list == ["slt@havering.example"]


def test_a_failed_report_is_shown_and_can_be_tried_again(
    client, programme_manager, scrutiny_schedule, monkeypatch, django_capture_on_commit_callbacks
):

    monkeypatch.setattr(
        pdf_render, "render_pdf", lambda html: (_ for _ in ()).throw(OSError("disk"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.reports_due(today=dt.date(2026, 10, 6))
    report = ProgressReport.objects.get()
    assert report.status == "failed" and "disk" in report.error
    monkeypatch.undo()
    client.force_login(programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/board/reports/{report.pk}/retry/")
    report.refresh_from_db()
    assert report.status == "sent"


@pytest.mark.django_db(transaction=True)
def test_make_this_report_now_says_whether_it_was_sent_or_why_not(
    client, programme_manager, scrutiny_schedule, monkeypatch
):
    """With no broker the job runs as the action commits, so the page can say how it went."""
    client.force_login(programme_manager)
    url = f"/board/reports/bodies/{scrutiny_schedule.board.pk}/make/"
    page = client.post(url, follow=True).content.decode()
    report = ProgressReport.objects.get(schedule=scrutiny_schedule)
    assert report.status == ProgressReport.Status.SENT
    assert f"The report to {scrutiny_schedule.board} was made and sent." in page

    # A report that cannot be drawn says so, with the reason, and stays on record as failed.
    def broken(*args, **kwargs):
        raise RuntimeError("the PDF could not be drawn")

    monkeypatch.setattr(pdf_render, "render_pdf", broken)
    report.delete()
    page = client.post(url, follow=True).content.decode()
    report = ProgressReport.objects.get(schedule=scrutiny_schedule)
    assert report.status == ProgressReport.Status.FAILED
    assert f"The report to {scrutiny_schedule.board} could not be made:" in page
    assert "the PDF could not be drawn" in page


def test_make_this_report_now_with_a_worker_to_do_it_says_it_is_being_made(
    client, programme_manager, scrutiny_schedule, django_capture_on_commit_callbacks
):
    client.force_login(programme_manager)
    url = f"/board/reports/bodies/{scrutiny_schedule.board.pk}/make/"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url)
    page = client.get(response["Location"]).content.decode()
    assert f"The report to {scrutiny_schedule.board} is being made." in page
