"""The programme manager's calendar and rota: recurrence, generating the rota, pins, the .ics
export and the history of changes."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board import forms
from board.actions import calendar as calendar_actions
from board.actions import rota as rota_actions
from board.models import Meeting, RotaPin, RotaRun, RotaSlot
from tests.board.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def generate(client, capture):
    """Open the rota's preview and confirm it, as the programme manager does."""
    page = client.get("/board/rota/generate/").content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    with capture(execute=True):
        return client.post("/board/rota/generate/", {"fingerprint": fingerprint})


def test_monthly_recurrence_keeps_the_day_of_the_month_and_clamps_the_31st():
    dates = calendar_actions.recurrence_dates(first=dt.date(2027, 1, 31), count=3, monthly=True)
    assert dates == [dt.date(2027, 1, 31), dt.date(2027, 2, 28), dt.date(2027, 3, 31)]


def test_every_four_weeks_recurrence():
    dates = calendar_actions.recurrence_dates(first=dt.date(2027, 1, 5), count=3, every_weeks=4)
    assert dates == [dt.date(2027, 1, 5), dt.date(2027, 2, 2), dt.date(2027, 3, 2)]


def test_the_manager_sets_a_monthly_calendar_from_the_page(client, programme_manager, board):
    client.force_login(programme_manager)
    response = client.post(
        "/board/meetings/schedule/",
        {
            "first_date_0": "12",
            "first_date_1": "1",
            "first_date_2": "2027",
            "count": "12",
            "repeat": "monthly",
            "start_time": "10:00",
            "venue": "Town Hall, Romford",
            "online_link": "https://teams.example/board",
            "chair": "Director of Children's Services",
        },
    )
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(board=board))
    assert len(meetings) == 12
    assert meetings[-1].date == dt.date(2027, 12, 12)
    assert meetings[0].chair == "Director of Children's Services"
    # The same run again adds nothing: the dates are already in the calendar.
    client.post(
        "/board/meetings/schedule/",
        {
            "first_date_0": "12",
            "first_date_1": "1",
            "first_date_2": "2027",
            "count": "12",
            "repeat": "monthly",
        },
    )
    assert Meeting.objects.filter(board=board).count() == 12


def test_a_meetings_start_time_shows_as_the_hint_writes_it_in_a_gov_uk_box(
    client, programme_manager, board
):
    meeting = MeetingFactory(board=board, date=dt.date(2027, 1, 12), start_time=dt.time(10, 0))
    client.force_login(programme_manager)
    page = client.get(f"/board/meetings/{meeting.pk}/edit/").content.decode()
    assert 'class="govuk-input govuk-input--width-5" id="id_start_time"' in page
    assert 'value="10:00"' in page
    assert 'type="url" name="online_link"' in page and 'class="govuk-input"' in page


def test_every_n_weeks_without_the_number_says_what_is_missing(client, programme_manager, board):
    client.force_login(programme_manager)
    response = client.post(
        "/board/meetings/schedule/",
        {
            "first_date_0": "12",
            "first_date_1": "1",
            "first_date_2": "2027",
            "count": "3",
            "repeat": "weeks",
        },
    )
    assert response.status_code == 200
    assert "Enter how many weeks apart the meetings are" in response.content.decode()
    assert not Meeting.objects.exists()


def test_two_meetings_on_one_day_are_refused_against_the_date(client, programme_manager, board):
    MeetingFactory(board=board, date=dt.date(2027, 3, 2))
    client.force_login(programme_manager)
    response = client.post("/board/meetings/add/", {"date_0": "2", "date_1": "3", "date_2": "2027"})
    assert response.status_code == 200
    assert "The board already meets on 2 March 2027" in response.content.decode()


def test_generating_the_rota_gives_every_meeting_two_themes_balanced_and_never_twice_running(
    client, programme_manager, board, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    for i in range(12):
        MeetingFactory(board=board, date=today + dt.timedelta(weeks=4 * i + 1))
    client.force_login(programme_manager)
    generate(client, django_capture_on_commit_callbacks)
    page = client.get("/board/").content.decode()
    assert "Planned 12 meetings; 24 focus changes." in page
    meetings = list(Meeting.objects.filter(board=board).prefetch_related("slots"))
    groups = [{s.theme_id for s in m.slots.all()} for m in meetings]
    assert all(len(g) == 2 for g in groups)
    counts = Counter(t for g in groups for t in g)
    assert len(counts) == 7 and max(counts.values()) - min(counts.values()) <= 1
    assert all(not a & b for a, b in zip(groups, groups[1:], strict=False))
    assert len({frozenset(g) for g in groups}) == 12  # no pair twice in a year
    assert RotaRun.objects.get().status == RotaRun.Status.DONE


def test_a_pinned_theme_stays_and_the_rest_rebalances(
    client, programme_manager, board, theme, other_theme, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    meetings = [
        MeetingFactory(board=board, date=today + dt.timedelta(weeks=4 * i + 1)) for i in range(7)
    ]
    client.force_login(programme_manager)
    fields = {f"theme_{t.pk}": "auto" for t in board.programme.themes.all()}
    client.post(
        f"/board/meetings/{meetings[3].pk}/pins/",
        {
            **fields,
            f"theme_{theme.pk}": "in",
            f"theme_{other_theme.pk}": "off",
            "version": meetings[3].version,
        },
    )
    assert RotaPin.objects.count() == 2
    generate(client, django_capture_on_commit_callbacks)
    focus = {s.theme_id for s in meetings[3].slots.all()}
    assert theme.pk in focus and other_theme.pk not in focus
    counts = Counter(RotaSlot.objects.values_list("theme_id", flat=True))
    assert set(counts.values()) == {2}  # 7 meetings x 2 = 14 = 7 themes twice each


def test_an_impossible_pin_is_explained_and_the_rota_is_left_as_it_was(
    programme_manager, board, theme, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    first = MeetingFactory(board=board, date=today + dt.timedelta(days=7))
    second = MeetingFactory(board=board, date=today + dt.timedelta(days=35))
    for meeting in (first, second):
        rota_actions.pin_set(meeting=meeting, theme=theme, state="in", actor=programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        rota_actions.rota_request(board=board, actor=programme_manager)
    run = RotaRun.objects.get()
    assert run.status == RotaRun.Status.FAILED
    assert "back to back" in run.message
    assert not RotaSlot.objects.exists()


def test_meetings_with_a_published_pack_and_past_meetings_keep_their_focus(
    programme_manager, board, meeting, django_capture_on_commit_callbacks
):
    past = MeetingFactory(board=board, date=timezone.localdate() - dt.timedelta(days=20))
    past.slots.create(theme=board.programme.themes.get(slug="case-recording"))
    before = set(meeting.slots.values_list("theme_id", flat=True))
    meeting.packs.create(status="published", version=1)
    with django_capture_on_commit_callbacks(execute=True):
        rota_actions.rota_request(board=board, actor=programme_manager)
    assert set(meeting.slots.values_list("theme_id", flat=True)) == before
    assert past.slots.count() == 1


def test_a_redelivered_rota_task_changes_nothing(
    programme_manager, board, django_capture_on_commit_callbacks
):
    MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=9))
    with django_capture_on_commit_callbacks(execute=True):
        run = rota_actions.rota_request(board=board, actor=programme_manager)
    slots = list(RotaSlot.objects.values_list("pk", flat=True))
    rota_actions.rota_plan(run_id=run.pk)
    assert list(RotaSlot.objects.values_list("pk", flat=True)) == slots


def test_every_rota_change_is_in_the_history_with_who_made_it(
    client, programme_manager, board, django_capture_on_commit_callbacks
):
    MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=9))
    client.force_login(programme_manager)
    generate(client, django_capture_on_commit_callbacks)
    history = RotaSlot.history.all()
    assert history.count() == 2
    assert {h.history_user for h in history} == {programme_manager}
    page = client.get("/board/rota/history/").content.decode()
    assert "put in focus at the meeting on" in page


def test_the_rota_downloads_as_an_icalendar_file_for_outlook(client, board_member, meeting):
    meeting.venue = "Town Hall; Committee Room 2, Romford"
    meeting.save()
    client.force_login(board_member)
    response = client.get("/board/rota.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.rstrip().endswith("END:VCALENDAR")
    assert f"UID:board-meeting-{meeting.pk}@" in body
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Improvement Board — focus: Supervision\\; Quality Assurance" in unfolded
    assert "LOCATION:Town Hall\\; Committee Room 2\\, Romford" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=dt.UTC)
    assert f"DTSTART:{meeting.date:%Y%m%d}T" in body and start  # UTC start written


def test_the_board_page_runs_the_same_queries_for_a_short_and_a_long_calendar(
    client, board_member, board, django_assert_num_queries
):
    client.force_login(board_member)
    MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=3))
    client.get("/board/")  # warm the session and role caches
    with CaptureQueriesContext(connection) as small:
        client.get("/board/")
    for i in range(10):
        meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(weeks=i + 1))
        meeting.slots.create(theme=board.programme.themes.order_by("?").first())
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/board/")


def test_a_meeting_on_31_12_9999_is_refused_and_the_calendar_stays_up(
    client, programme_manager, board
):
    client.force_login(programme_manager)
    response = client.post(
        "/board/meetings/add/", {"date_0": "31", "date_1": "12", "date_2": "9999"}
    )
    assert "Enter a date between 1 January 2000 and 31 December 2100." in response.content.decode()
    assert not Meeting.objects.filter(date__year=9999).exists()
    assert client.get("/board/rota.ics").status_code == 200
    assert "date" in forms.MeetingForm({"date_0": "1", "date_1": "1", "date_2": "1900"}).errors


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            out.append("\n" if value[i + 1] in "nN" else value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


TEXT_A_FORM_ACCEPTS = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=200
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(venue=TEXT_A_FORM_ACCEPTS, chair=TEXT_A_FORM_ACCEPTS)
def test_the_calendar_stays_valid_for_any_text_a_form_accepts(meeting, venue, chair):
    from board.ical import rota_calendar

    meeting.venue, meeting.chair = venue, chair
    body = rota_calendar(board=meeting.board, meetings=[meeting])
    lines = body.split("\r\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert "\r" not in line and "\n" not in line, repr(line)
        assert len(line.encode()) <= 75
        assert not any(ord(c) < 32 and c != "\t" for c in line), repr(line)
    unfolded = body.replace("\r\n ", "").split("\r\n")
    location = [line for line in unfolded if line.startswith("LOCATION:")]
    expected = venue.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(
        " " if ord(c) < 32 and c not in "\t\n" or c == "\x7f" else c for c in expected
    )
    if venue:
        assert _unescape(location[0][len("LOCATION:") :]) == expected
    else:
        assert not location


def test_a_carriage_return_in_a_venue_is_a_line_break_not_a_broken_calendar(meeting):
    from board.ical import rota_calendar

    meeting.venue = "Town Hall\rRomford\r\nEssex"
    body = rota_calendar(board=meeting.board, meetings=[meeting])
    assert "LOCATION:Town Hall\\nRomford\\nEssex\r\n" in body
