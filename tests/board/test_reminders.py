"""Reminders to leads whose highlight report for their next focus meeting is missing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from board.tabs import theme_rota_context
from reporting.actions import reminders as reminder_actions
from reporting.models import ReminderSent
from tests.board.factories import MeetingFactory
from tests.themes.factories import HighlightReportFactory
from themes.selectors import current_period, expected_report_period, report_due_date

pytestmark = pytest.mark.django_db

# A Thursday meeting; with the pack 7 days before, the deadline is Thursday 3 December 2026.
MEETING_DAY = dt.date(2026, 12, 10)
DEADLINE = dt.date(2026, 12, 3)


@pytest.fixture
def focus_meeting(board, theme, other_theme, lead, other_lead):
    meeting = MeetingFactory(board=board, date=MEETING_DAY)
    meeting.slots.create(theme=theme)
    meeting.slots.create(theme=other_theme)
    return meeting


def test_working_days_skip_the_weekend():
    assert reminder_actions.working_days_before(dt.date(2026, 12, 3), 3) == dt.date(2026, 11, 30)
    assert reminder_actions.working_days_before(dt.date(2026, 11, 30), 1) == dt.date(2026, 11, 27)


def test_leads_with_a_missing_report_are_reminded_three_working_days_ahead_once(
    focus_meeting, lead, other_lead, theme, other_theme
):
    other_theme.title = "Quality & Children's Voice"
    other_theme.save(update_fields=["title"])
    # Supervision's November report is in.
    HighlightReportFactory(
        submitted=True, theme=theme, period=dt.date(2026, 11, 1), submitted_at=timezone.now()
    )
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 30)) == 1
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 30)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [other_lead.email]
    # The subject names the report that is missing and the day the pack is built without it.
    assert mail.outbox[0].subject == (
        "Quality & Children's Voice's November 2026 highlight report is needed for the board "
        "pack built on 3 December 2026"
    )
    assert ReminderSent.objects.get().kind == ReminderSent.Kind.AHEAD


def test_on_the_deadline_day_a_second_reminder_goes_once(focus_meeting, lead, other_lead):
    reminder_actions.reminders_send(today=dt.date(2026, 11, 30))
    reminder_actions.reminders_send(today=DEADLINE)
    reminder_actions.reminders_send(today=DEADLINE)
    assert len(mail.outbox) == 4  # two leads, ahead and on the day
    assert sum("Today" in m.subject for m in mail.outbox) == 2


def test_no_reminder_on_other_days(focus_meeting):
    assert reminder_actions.reminders_send(today=dt.date(2026, 12, 1)) == 0
    assert mail.outbox == []


def test_the_number_of_working_days_is_configurable(focus_meeting, board):
    from board.selectors import board_settings

    settings = board_settings(board)
    settings.reminder_working_days = 5
    settings.save()
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 30)) == 0
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 26)) == 2


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


def test_a_failed_email_is_tried_again_next_run(focus_meeting, settings):
    working = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "tests.board.test_reminders.DownBackend"
    assert reminder_actions.reminders_send(today=DEADLINE) == 0
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = working
    assert reminder_actions.reminders_send(today=DEADLINE) == 2


def test_the_theme_tab_shows_when_the_theme_is_next_in_focus_and_the_deadline(
    rf, focus_meeting, theme
):
    from freezegun import freeze_time

    with freeze_time("2026-11-20"):
        context = theme_rota_context(rf.get("/"), theme)
    assert context["board_next_meeting"] == focus_meeting
    assert context["board_report_deadline"] == DEADLINE


def test_the_theme_tab_is_registered_for_the_theme_page():
    from themes.tabs import registered_tabs

    tab = next(t for t in registered_tabs() if t.key == "board")
    assert tab.label == "Board rota"
    from django.template.loader import get_template

    get_template(tab.template)


def test_a_lead_sees_on_their_theme_page_when_it_is_next_in_focus(client, lead, theme, board):
    meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=20))
    meeting.slots.create(theme=theme)
    client.force_login(lead)
    theme_page = client.get(f"/themes/{theme.slug}/").content.decode()
    assert f'href="/themes/{theme.slug}/board/"' in theme_page
    page = client.get(f"/themes/{theme.slug}/board/").content.decode()
    deadline = meeting.date - dt.timedelta(days=7)
    assert "Board rota" in page
    assert f"{meeting.date:%-d %B %Y}" in page
    assert f"pack is built on <strong>{deadline:%-d %B %Y}</strong>" in page
    expected = expected_report_period(deadline)
    assert f"<strong>{expected:%B %Y}</strong> highlight report" in page
    assert f"due on {report_due_date(expected):%-d %B %Y}" in page


def test_one_rule_says_which_month_a_report_covers_and_when_it_is_due():
    # A report covers a calendar month and is due on the 26th of that month.
    assert report_due_date(dt.date(2026, 11, 1)) == dt.date(2026, 11, 26)
    assert current_period(dt.date(2026, 12, 2)) == dt.date(2026, 12, 1)
    # A pack built before the 26th shows last month's report; from the 26th, this month's.
    assert expected_report_period(dt.date(2026, 12, 25)) == dt.date(2026, 11, 1)
    assert expected_report_period(dt.date(2026, 12, 26)) == dt.date(2026, 12, 1)
    assert expected_report_period(dt.date(2027, 1, 1)) == dt.date(2026, 12, 1)


def test_a_lead_whose_newest_report_is_older_than_the_pack_expects_is_reminded(
    focus_meeting, theme, other_theme, other_lead
):
    # The deadline is 3 December: the November report (due 26 November) is expected.
    # Supervision's newest is older, so its lead is reminded; Quality Assurance's is in.
    HighlightReportFactory(submitted=True, theme=theme, period=dt.date(2026, 10, 1))
    HighlightReportFactory(submitted=True, theme=other_theme, period=dt.date(2026, 11, 1))
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 30)) == 1
    assert mail.outbox[0].to == [theme.lead.email]
    assert "November 2026 highlight report" in mail.outbox[0].body
    assert "26 November 2026" in mail.outbox[0].body
