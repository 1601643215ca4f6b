"""Programme data is only read in the admin: its versioned forms are the service's, so a change
posted to the admin is refused and the record stays as it was."""

import pytest

from board.models import Meeting
from tests.board.factories import MeetingFactory
from tests.form_page import second_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(programme_manager):
    return second_user(programme_manager, "pm.two")


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
