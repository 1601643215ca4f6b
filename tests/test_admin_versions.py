"""The admin's change forms of programme data are versioned like the service's own forms: two
programme managers changing the same record there, the second save is refused with what the
first changed, and the first's change is kept."""

import pytest

from board.models import Meeting
from tests.board.factories import MeetingFactory
from tests.form_page import REFUSED, opened, second_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(programme_manager):
    return second_user(programme_manager, "pm.two")


def test_a_meeting_changed_in_the_admin_and_the_service_at_once(
    programme, programme_manager, other_manager
):
    meeting = MeetingFactory(board=programme.boards.get(slug="improvement-board"), venue="Hall")
    admin_client = signed_in(programme_manager)
    url = f"/admin/board/meeting/{meeting.pk}/change/"
    form = opened(admin_client, url)
    service_client = signed_in(other_manager)
    edit = f"/board/meetings/{meeting.pk}/edit/"
    saved = service_client.post(edit, {**opened(service_client, edit), "chair": "Cllr Patel"})
    assert saved.status_code == 302
    response = admin_client.post(url, {**form, "venue": "Town Hall"})
    assert REFUSED in response.content.decode()
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.venue, meeting.chair) == ("Hall", "Cllr Patel")
    # The form sent back carries the latest version: saving it again is deliberate, and goes.
    again = admin_client.post(url, {**form, "venue": "Town Hall", "version": meeting.version})
    assert again.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).venue == "Town Hall"
