"""Board meetings land in Outlook and stay right there: one UID per meeting whatever name the
calendar was subscribed through; SEQUENCE and LAST-MODIFIED move when the time, place or focus
changes; a cancelled meeting stays in the feed as cancelled; and the meeting's people are sent
real invitations (iMIP), updates and cancellations by e-mail."""

import datetime as dt
import email
import email.policy
import re

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from board import selectors as board_selectors
from board.actions import calendar as calendar_actions
from board.actions import rota as rota_actions
from board.models import Meeting, RotaRun
from havering_improve import roles
from reporting.actions import packs as pack_actions
from tests.board import ical_reader
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Reading what Outlook reads ------------------------------------------------------------------


def _read(text: str) -> ical_reader.Component:
    """The calendar read strictly (tests/board/ical_reader.py), and by the `icalendar` library,
    which must read the same METHOD and, event by event, the same UID, SEQUENCE, STATUS,
    SUMMARY, ORGANIZER and ATTENDEEs."""
    strict = ical_reader.read(text)
    library = icalendar.Calendar.from_ical(text)
    assert str(library.get("METHOD")) == strict.get("METHOD")
    events = strict.walk("VEVENT")
    assert len(library.walk("VEVENT")) == len(events)
    for ours, theirs in zip(events, library.walk("VEVENT"), strict=True):
        assert str(theirs["UID"]) == ours.get("UID")
        assert int(theirs["SEQUENCE"]) == int(ours.get("SEQUENCE"))
        assert str(theirs["STATUS"]) == ours.get("STATUS")
        assert str(theirs["SUMMARY"]) == ours.get("SUMMARY")
        assert theirs["LAST-MODIFIED"].dt == dt.datetime.strptime(
            ours.get("LAST-MODIFIED"), "%Y%m%dT%H%M%SZ"
        ).replace(tzinfo=dt.UTC)
        attendees = theirs.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [v for _, v in ours.all("ATTENDEE")]
        if ours.all("ORGANIZER"):
            assert str(theirs["ORGANIZER"]) == ours.get("ORGANIZER")
            assert str(theirs["ORGANIZER"].params["CN"]) == ours.params("ORGANIZER")["CN"]
    return strict


def _feed(client, host="127.0.0.1:8000") -> ical_reader.Component:
    response = client.get("/board/rota.ics", HTTP_HOST=host)
    assert response.status_code == 200
    return _read(response.content.decode())


def _event(calendar, meeting) -> ical_reader.Component:
    prefix = f"board-meeting-{meeting.pk}@"
    events = [e for e in calendar.walk("VEVENT") if e.get("UID").startswith(prefix)]
    assert len(events) == 1
    return events[0]


def _parsed(message) -> email.message.EmailMessage:
    """The message as a mail program receives it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def _calendar_parts(message):
    parsed = _parsed(message)
    return [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]


def _invitation(message) -> tuple[str, ical_reader.Component]:
    """The METHOD of the message's text/calendar part and its calendar, after checking the part
    and the attachment say the same."""
    parts = _calendar_parts(message)
    inline = [p for p in parts if p.get_content_disposition() != "attachment"]
    attached = [p for p in parts if p.get_content_disposition() == "attachment"]
    assert len(inline) == 1 and len(attached) == 1
    assert attached[0].get_filename() == "invite.ics"
    method = inline[0].get_param("method")
    assert attached[0].get_param("method") == method
    text = inline[0].get_content()
    assert attached[0].get_content() == text
    # MIME carries text in its canonical form, CRLF line ends, whatever the transport does.
    calendar = _read(re.sub(r"\r?\n", "\r\n", text))
    assert calendar.get("METHOD") == method
    return method, calendar


def _invitations(to=None):
    return [m for m in mail.outbox if _calendar_parts(m) and (to is None or m.to == [to])]


def _attendees(event) -> set[str]:
    return {value.removeprefix("mailto:") for _, value in event.all("ATTENDEE")}


def _focus(board, meeting, *themes, user=None):
    """Apply a rota run that gives the meeting exactly these focus themes."""
    before = sorted(meeting.slots.values_list("theme_id", flat=True))
    plan = {str(meeting.pk): {"before": before, "after": sorted(t.pk for t in themes)}}
    run = RotaRun.objects.create(board=board, requested_by=user, plan=plan)
    rota_actions.rota_plan(run_id=run.pk)


@pytest.fixture
def later(board, programme_manager, django_capture_on_commit_callbacks):
    """A meeting three weeks ahead, added through the calendar as the programme manager."""
    with django_capture_on_commit_callbacks(execute=True):
        return calendar_actions.meeting_create(
            board=board,
            actor=programme_manager,
            date=timezone.localdate() + dt.timedelta(weeks=3),
            start_time=dt.time(10, 0),
            venue="Town Hall, Committee Room 2",
        )


# The feed ---------------------------------------------------------------------------------


def test_a_meeting_has_one_uid_whichever_name_the_calendar_is_subscribed_through(
    client, board_member, meeting, settings
):
    settings.SITE_DOMAIN = "improve.havering.example"
    client.force_login(board_member)
    uids = {
        _event(_feed(client, host), meeting).get("UID")
        for host in ("127.0.0.1:8000", "localhost:8112")
    }
    assert uids == {f"board-meeting-{meeting.pk}@improve.havering.example"}


def test_site_domain_defaults_to_the_host_of_site_url():
    from havering_improve.settings import base

    assert base.SITE_DOMAIN == "127.0.0.1" or base.SITE_DOMAIN  # the host, never with a port
    assert ":" not in base.SITE_DOMAIN


def test_the_summary_names_each_focus_theme_unambiguously(client, board_member, board, meeting):
    meeting.slots.all().delete()
    for slug in ("supervision", "case-recording"):
        meeting.slots.create(theme=board.programme.themes.get(slug=slug))
    client.force_login(board_member)
    summary = _event(_feed(client), meeting).get("SUMMARY")
    assert summary == "Improvement Board — focus: Supervision; Case Recording and Data Quality"


def test_sequence_and_last_modified_move_with_the_time_place_and_focus_and_not_otherwise(
    client, board_member, programme_manager, board, later, theme,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(board_member)
    first = _event(_feed(client), later)
    assert (first.get("SEQUENCE"), first.get("STATUS")) == ("0", "CONFIRMED")

    with freeze_time(timezone.now() + dt.timedelta(hours=1)):
        moved = calendar_actions.meeting_update(
            meeting=later, actor=programme_manager, version=later.version, start_time=dt.time(14)
        )
    event = _event(_feed(client), later)
    assert event.get("SEQUENCE") == "1"
    assert event.get("LAST-MODIFIED") > first.get("LAST-MODIFIED")
    assert event.get("DTSTART") != first.get("DTSTART")

    # The chair is not the time, place or focus: calendars need no update for it.
    calendar_actions.meeting_update(
        meeting=moved, actor=programme_manager, version=moved.version, chair="Someone else"
    )
    assert _event(_feed(client), later).get("SEQUENCE") == "1"

    with django_capture_on_commit_callbacks(execute=True):
        _focus(board, later, theme, user=programme_manager)
    event = _event(_feed(client), later)
    assert event.get("SEQUENCE") == "2"
    assert "focus: Supervision" in event.get("SUMMARY")
    # Every change of the sequence is in the meeting's history, with who made it.
    history = list(later.history.order_by("history_id").values_list("sequence", "history_user"))
    assert [s for s, _ in history] == [0, 1, 1, 2]
    assert {u for _, u in history} == {programme_manager.pk}


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled_and_leaves_the_rota(
    client, board_member, programme_manager, board, later, django_capture_on_commit_callbacks
):
    client.force_login(programme_manager)
    page = client.get(f"/board/meetings/{later.pk}/cancel/")
    assert page.status_code == 200
    assert "Cancel the meeting on" in page.content.decode()
    assert not Meeting.objects.get(pk=later.pk).is_cancelled  # looking is not cancelling
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/board/meetings/{later.pk}/cancel/", {"version": later.version})
    assert response.status_code == 302
    # A second click is told it is done, never a 500.
    again = client.post(f"/board/meetings/{later.pk}/cancel/", {"version": later.version})
    assert again.status_code == 302

    client.force_login(board_member)
    event = _event(_feed(client), later)
    assert (event.get("STATUS"), event.get("SEQUENCE")) == ("CANCELLED", "1")
    assert board_selectors.next_meeting(board) is None
    assert later.date.strftime("%-d %B %Y") not in client.get("/board/").content.decode()
    assert pack_actions.packs_due(today=later.date - dt.timedelta(days=1)) == []
    with pytest.raises(ValidationError):
        pack_actions.pack_request(meeting=Meeting.objects.get(pk=later.pk), actor=programme_manager)
    # Its date is free for another meeting.
    calendar_actions.meeting_create(board=board, actor=programme_manager, date=later.date)


def test_only_the_programme_manager_cancels_and_never_a_meeting_already_held(
    client, board_member, programme_manager, board
):
    held = Meeting.objects.create(board=board, date=timezone.localdate() - dt.timedelta(days=7))
    client.force_login(board_member)
    assert client.get(f"/board/meetings/{held.pk}/cancel/").status_code == 403
    assert client.post(f"/board/meetings/{held.pk}/cancel/", {"version": 1}).status_code == 403
    client.force_login(programme_manager)
    page = client.post(f"/board/meetings/{held.pk}/cancel/", {"version": held.version})
    assert "A meeting already held cannot be cancelled." in page.content.decode()
    assert not Meeting.objects.get(pk=held.pk).is_cancelled


# The invitations ------------------------------------------------------------------------------


@pytest.fixture
def people(board_member, theme, other_theme, lead, other_lead):
    return {"member": board_member, "lead": lead, "other_lead": other_lead}


def test_members_and_presenting_leads_get_an_invitation_then_updates_then_a_cancellation(
    client, programme_manager, board, theme, other_theme, people, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.SITE_DOMAIN = "improve.havering.example"
    member, lead, other_lead = people["member"], people["lead"], people["other_lead"]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = calendar_actions.meeting_create(
            board=board,
            actor=programme_manager,
            date=timezone.localdate() + dt.timedelta(weeks=3),
            start_time=dt.time(10, 0),
            venue="Town Hall",
        )
    uid = f"board-meeting-{meeting.pk}@improve.havering.example"

    # A new meeting: the board members are invited; no theme is in focus yet.
    [message] = _invitations(member.email)
    method, calendar = _invitation(message)
    [event] = calendar.walk("VEVENT")
    assert (method, event.get("UID"), event.get("SEQUENCE")) == ("REQUEST", uid, "0")
    assert event.params("ORGANIZER")["CN"] == board.name
    assert event.get("ORGANIZER") == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert member.email in _attendees(event)
    assert not _invitations(lead.email)

    # Supervision comes into focus: its lead is invited, everyone gets the update.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _focus(board, meeting, theme, user=programme_manager)
    [to_lead] = _invitations(lead.email)
    method, calendar = _invitation(to_lead)
    [event] = calendar.walk("VEVENT")
    assert (method, event.get("UID"), event.get("SEQUENCE")) == ("REQUEST", uid, "1")
    assert _attendees(event) == {member.email, lead.email}
    assert _invitation(_invitations(member.email)[0])[0] == "REQUEST"

    # Supervision leaves the focus for Quality Assurance: Supervision's lead is sent a
    # cancellation of their own, the others an update that no longer lists them.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _focus(board, meeting, other_theme, user=programme_manager)
    [to_lead] = _invitations(lead.email)
    method, calendar = _invitation(to_lead)
    [event] = calendar.walk("VEVENT")
    assert (method, event.get("STATUS"), event.get("SEQUENCE")) == ("CANCEL", "CANCELLED", "2")
    assert _attendees(event) == {lead.email}
    for person in (member, other_lead):
        [message] = _invitations(person.email)
        method, calendar = _invitation(message)
        [event] = calendar.walk("VEVENT")
        assert (method, event.get("SEQUENCE")) == ("REQUEST", "2")
        assert _attendees(event) == {member.email, other_lead.email}
        assert event.get("SUMMARY") == "Improvement Board — focus: Quality Assurance"

    # Moved to the afternoon: an update, same UID, higher SEQUENCE.
    mail.outbox.clear()
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = calendar_actions.meeting_update(
            meeting=meeting, actor=programme_manager, version=meeting.version,
            start_time=dt.time(14, 0),
        )  # fmt: skip
    assert {m.to[0] for m in _invitations()} == {member.email, other_lead.email}
    method, calendar = _invitation(_invitations(member.email)[0])
    [event] = calendar.walk("VEVENT")
    assert (method, event.get("UID"), event.get("SEQUENCE")) == ("REQUEST", uid, "3")
    assert _invitations(member.email)[0].subject.startswith("Updated: ")

    # Cancelled: everyone who has it is sent METHOD:CANCEL.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        calendar_actions.meeting_cancel(
            meeting=meeting, actor=programme_manager, version=meeting.version
        )
    assert {m.to[0] for m in _invitations()} == {member.email, other_lead.email}
    for message in _invitations():
        method, calendar = _invitation(message)
        [event] = calendar.walk("VEVENT")
        assert (method, event.get("STATUS")) == ("CANCEL", "CANCELLED")
        assert (event.get("UID"), event.get("SEQUENCE")) == (uid, "4")
        assert message.subject.startswith("Cancelled: ")

    # A task delivered twice sends nothing twice.
    mail.outbox.clear()
    assert calendar_actions.meeting_invitations_send(meeting_id=meeting.pk) == 0
    assert not mail.outbox


def test_a_redelivered_invitation_sends_nothing_and_a_held_meeting_is_never_sent(
    programme_manager, board, board_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = calendar_actions.meeting_create(
            board=board, actor=programme_manager, date=timezone.localdate() + dt.timedelta(days=9)
        )
        held = calendar_actions.meeting_create(
            board=board, actor=programme_manager, date=timezone.localdate() - dt.timedelta(days=9)
        )
    assert [m.to for m in _invitations()] == [[board_member.email]]
    assert calendar_actions.meeting_invitations_send(meeting_id=meeting.pk) == 0
    assert calendar_actions.meeting_invitations_send(meeting_id=held.pk) == 0
    assert len(_invitations()) == 1


def test_a_new_board_member_is_invited_with_the_next_delivery_and_inactive_people_never(
    programme_manager, board, board_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = calendar_actions.meeting_create(
            board=board, actor=programme_manager, date=timezone.localdate() + dt.timedelta(days=9)
        )
    newcomer = UserFactory(username="newcomer", roles=[roles.BOARD_MEMBER])
    UserFactory(username="gone", roles=[roles.BOARD_MEMBER], is_active=False)
    mail.outbox.clear()
    assert calendar_actions.meeting_invitations_send(meeting_id=meeting.pk) == 1
    assert [m.to for m in _invitations()] == [[newcomer.email]]


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_a_quoted_name_in_an_invitation_reads_back_with_the_icalendar_library(
    meeting, method, settings
):
    from board.ical import invitation

    settings.SITE_DOMAIN = "improve.havering.example"
    text = invitation(
        meeting=meeting,
        method=method,
        organizer=("Improvement Board", "improvement@havering.example"),
        attendees=[('Sam "the chair" Smith', "sam@havering.example")],
    )
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == method
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"board-meeting-{meeting.pk}@improve.havering.example"
    assert int(event["SEQUENCE"]) == meeting.sequence
    assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
    assert str(event["SUMMARY"]) == "Improvement Board — focus: Supervision; Quality Assurance"
    assert str(event["ATTENDEE"]) == "mailto:sam@havering.example"


def test_a_cancelled_meeting_is_no_longer_a_leads_next_focus(
    client, programme_manager, lead, meeting
):
    day = f"{meeting.date:%-d %B %Y}"
    client.force_login(lead)
    assert day in client.get("/").content.decode()
    calendar_actions.meeting_cancel(
        meeting=meeting, actor=programme_manager, version=meeting.version
    )
    assert day not in client.get("/").content.decode()
    assert day not in client.get(f"/themes/{lead.led_themes.get().slug}/board/").content.decode()
