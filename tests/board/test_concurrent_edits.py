"""Two programme managers at one board form: the second save is refused with what the first
changed, and the first's change is kept (before, the second silently overwrote it)."""

import pytest

from board import selectors
from board.actions import settings as settings_actions
from reporting.actions import reports as report_actions
from reporting.models import ReportSchedule
from tests.form_page import assert_refused, race, second_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(programme_manager):
    return second_user(programme_manager, "pm.two")


@pytest.mark.parametrize("saved_before", [False, True], ids=["defaults", "saved"])
def test_board_settings_keep_the_first_managers_change(
    board, programme_manager, other_manager, saved_before
):
    if saved_before:
        settings_actions.board_settings_save(
            board=board, actor=programme_manager, pack_days_before=6, reminder_working_days=2
        )
    response = race(
        "/board/settings/",
        programme_manager,
        other_manager,
        {"pack_days_before": "10"},
        {"reminder_working_days": "5"},
    )
    assert_refused(response, "10")
    settings = selectors.board_settings(board)
    assert settings.pack_days_before == 10
    assert settings.reminder_working_days != 5


def test_a_recipient_added_to_a_report_schedule_is_not_dropped(
    scrutiny, programme_manager, other_manager
):
    report_actions.schedule_save(
        board=scrutiny,
        actor=programme_manager,
        frequency=ReportSchedule.Frequency.QUARTERLY,
        send_day=5,
        sections=[ReportSchedule.Section.values[0]],
        recipients="clerk@havering.example",
        active=True,
    )
    response = race(
        f"/board/reports/bodies/{scrutiny.pk}/",
        programme_manager,
        other_manager,
        {"recipients": "clerk@havering.example\nchair@havering.example"},
        {"send_day": "12"},
    )
    assert_refused(response, "chair@havering.example")
    schedule = ReportSchedule.objects.get(board=scrutiny)
    assert schedule.recipients.splitlines() == ["clerk@havering.example", "chair@havering.example"]
    assert schedule.send_day == 5


def test_a_first_schedule_made_by_two_managers_at_once_keeps_the_first(
    scrutiny, programme_manager, other_manager
):
    form = {
        "frequency": ReportSchedule.Frequency.MONTHLY,
        "send_day": "5",
        "sections": [ReportSchedule.Section.values[0]],
        "active": "on",
    }
    response = race(
        f"/board/reports/bodies/{scrutiny.pk}/",
        programme_manager,
        other_manager,
        {**form, "recipients": "first@havering.example"},
        {**form, "recipients": "second@havering.example"},
    )
    assert_refused(response, "first@havering.example")
    assert ReportSchedule.objects.get(board=scrutiny).recipients == "first@havering.example"


def test_pins_set_by_another_manager_are_kept(meeting, programme, programme_manager, other_manager):
    first, second = programme.themes.get(slug="smart-planning"), programme.themes.get(number=1)
    response = race(
        f"/board/meetings/{meeting.pk}/pins/",
        programme_manager,
        other_manager,
        {f"theme_{first.pk}": "in"},
        {f"theme_{second.pk}": "off"},
    )
    assert_refused(response, f"Pin: {first.title}", "Pinned to this meeting")
    pins = {pin.theme_id: pin.in_focus for pin in meeting.pins.all()}
    assert pins == {first.pk: True}
