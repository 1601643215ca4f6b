"""The meeting page's "Changed since the pack was built" speaks of one change as one."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.board.factories import MeetingFactory
from tests.board.test_pack_honesty import _build
from tests.themes.factories import HighlightReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_meeting(board, theme, other_theme):
    meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=8))
    meeting.slots.create(theme=theme)
    meeting.slots.create(theme=other_theme)
    return meeting


def test_one_change_since_the_build_is_it_not_them(
    client, programme_manager, next_meeting, other_theme, django_capture_on_commit_callbacks
):
    _build(next_meeting, django_capture_on_commit_callbacks)
    HighlightReportFactory(
        submitted=True,
        theme=other_theme,
        period=(timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1),
        submitted_at=timezone.now() + dt.timedelta(seconds=1),
    )
    client.force_login(programme_manager)
    page = client.get(next_meeting.get_absolute_url()).content.decode()
    assert "Changed since the pack was built" in page
    assert "Rebuild the pack to include it." in page
