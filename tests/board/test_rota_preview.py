"""Rota changes are deliberate: "Generate the rota" shows the changes meeting by meeting first,
applies them on confirmation, never moves a meeting whose pack deadline has passed, and tells
each lead whose theme's next focus date changed."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from board.actions import rota as rota_actions
from board.models import RotaRun, RotaSlot
from tests.board.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)


@pytest.fixture
def calendar(board):
    today = timezone.localdate()
    return [
        MeetingFactory(board=board, date=today + dt.timedelta(weeks=4 * i + 2)) for i in range(4)
    ]


def test_the_preview_shows_each_meetings_change_and_applies_nothing_until_confirmed(
    client, programme_manager, calendar, django_capture_on_commit_callbacks
):
    client.force_login(programme_manager)
    page = client.get("/board/rota/generate/").content.decode()
    assert "Meeting by meeting, before and after" in page
    for meeting in calendar:
        assert f"{meeting.date:%-d %B %Y}" in page
    assert "None yet" in page
    assert "Apply 4 changes" in page
    assert not RotaSlot.objects.exists()
    assert not RotaRun.objects.exists()
    # A bare POST (no preview behind it) changes nothing either.
    response = client.post("/board/rota/generate/")
    assert "changed since you previewed it" in response.content.decode()
    assert not RotaSlot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/board/rota/generate/", {"fingerprint": _fingerprint(page)})
    assert response.status_code == 302
    assert RotaSlot.objects.count() == 8
    # What was previewed is what was applied.
    cell = '<td data-label="After the change" class="govuk-table__cell">'
    after = re.findall(
        cell + r"((?:(?!</td>).)*)</td>\s*</tr>",
        page,
        re.S,
    )
    applied = [
        "<br>".join(s.theme.title for s in m.slots.order_by("theme__number")) for m in calendar
    ]
    assert [re.sub(r"</?strong>", "", a) for a in after] == applied


def test_a_preview_that_is_out_of_date_is_refused_and_shown_again(
    client, programme_manager, calendar, theme, django_capture_on_commit_callbacks
):
    client.force_login(programme_manager)
    stale = client.get("/board/rota/generate/").content.decode()
    MeetingFactory(board=calendar[0].board, date=calendar[-1].date + dt.timedelta(weeks=4))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/board/rota/generate/", {"fingerprint": _fingerprint(stale)})
    assert response.status_code == 200
    assert "changed since you previewed it" in response.content.decode()
    assert not RotaSlot.objects.exists()


def test_a_meeting_whose_pack_deadline_has_passed_is_never_moved(
    client,
    programme_manager,
    board,
    calendar,
    theme,
    other_theme,
    django_capture_on_commit_callbacks,
):
    soon = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=3))
    soon.slots.create(theme=theme)
    soon.slots.create(theme=other_theme)
    client.force_login(programme_manager)
    page = client.get("/board/rota/generate/").content.decode()
    assert "Kept as they are" in page
    kept = page[page.index("Kept as they are") :]
    assert f"{soon.date:%-d %B %Y}" in kept
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/board/rota/generate/", {"fingerprint": _fingerprint(page)})
    assert set(soon.slots.values_list("theme_id", flat=True)) == {theme.pk, other_theme.pk}
    # …and the next meeting does not repeat its themes back to back.
    first = set(calendar[0].slots.values_list("theme_id", flat=True))
    assert not first & {theme.pk, other_theme.pk}


def test_each_lead_whose_next_focus_date_moved_is_emailed_and_no_one_else(
    client, programme_manager, board, calendar, theme, lead, other_lead,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # Supervision is in focus at the first meeting; pinning it elsewhere moves it.
    calendar[0].slots.create(theme=theme)
    rota_actions.pin_set(meeting=calendar[0], theme=theme, state="off", actor=programme_manager)
    rota_actions.pin_set(meeting=calendar[2], theme=theme, state="in", actor=programme_manager)
    client.force_login(programme_manager)
    page = client.get("/board/rota/generate/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/board/rota/generate/", {"fingerprint": _fingerprint(page)})
    to_lead = [m for m in mail.outbox if m.to == [lead.email] and "in focus" in m.subject]
    assert len(to_lead) == 1
    message = to_lead[0]
    assert f"next in focus at the Improvement Board on {calendar[2].date:%-d %B %Y}" in (
        message.subject
    )
    assert f"was next in focus on {calendar[0].date:%-d %B %Y}" in message.body
    # Another run that changes nothing tells nobody.
    mail.outbox.clear()
    page = client.get("/board/rota/generate/").content.decode()
    assert "already balanced" in page
    assert "Apply" not in page
