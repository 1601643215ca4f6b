"""The admin's change forms of programme data are versioned like the service's own forms: two
programme managers changing the same record there, the second save is refused with what the
first changed, and the first's change is kept. The board's records are only read there."""

import pytest

from board.models import Meeting
from tests.board.factories import MeetingFactory
from tests.form_page import REFUSED, race, second_user, signed_in
from tests.themes.factories import MilestoneFactory
from themes.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(programme_manager):
    return second_user(programme_manager, "pm.two")


def test_a_milestone_changed_by_two_managers_in_the_admin(theme, programme_manager, other_manager):
    milestone = MilestoneFactory(theme=theme, title="Audit tool agreed", owner="")
    response = race(
        f"/admin/themes/milestone/{milestone.pk}/change/",
        programme_manager,
        other_manager,
        {"owner": "Head of Service"},
        {"title": "Audit tool rewritten"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in html
    assert "Owner: (blank) → Head of Service" in html
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert (milestone.title, milestone.owner) == ("Audit tool agreed", "Head of Service")


def test_a_meeting_is_read_in_the_admin_and_changed_only_in_the_service(
    programme, programme_manager
):
    """The board's records are read-only in the admin (their versioned forms are the service's):
    a change posted there is refused and the meeting stays as it was."""
    meeting = MeetingFactory(board=programme.boards.get(slug="improvement-board"), venue="Hall")
    admin_client = signed_in(programme_manager)
    url = f"/admin/board/meeting/{meeting.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"venue": "Town Hall", "version": meeting.version})
    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).venue == "Hall"
