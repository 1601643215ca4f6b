"""Text that ends up on one line of an e-mail's subject or a calendar entry (a theme's title, a
board's name, a meeting's venue and chair) is refused at input when it holds a line break or
other control character, with a message naming the field. Before, a newline in a theme's title
was saved, and every e-mail to its lead then failed as header injection, silently."""

import pytest
from django.core.exceptions import ValidationError

from board.actions import calendar as calendar_actions
from board.models import Meeting
from portfolio import loader
from tests.board.factories import MeetingFactory
from tests.form_page import opened, signed_in

pytestmark = pytest.mark.django_db

BAD = ["Supervision\nBcc: everyone@example.com", "Super\r\nvision", "Super\tvision", "A\u2028B"]


@pytest.mark.parametrize("title", BAD)
def test_a_themes_title_is_not_changed_in_the_admin_with_a_line_break_or_at_all(
    client, programme_manager, theme, title
):
    client = signed_in(programme_manager)
    url = f"/admin/themes/theme/{theme.pk}/change/"
    assert client.post(url, {"title": title}).status_code == 403
    before = theme.title
    theme.refresh_from_db()
    assert theme.title == before


def test_a_boards_name_with_a_line_break_is_refused(programme, programme_manager):
    """A board is read-only in the admin; its name is still checked wherever it is saved."""
    board = programme.boards.get(slug="scrutiny")
    client = signed_in(programme_manager)
    url = f"/admin/board/board/{board.pk}/change/"
    response = client.post(url, {"name": "Scrutiny\nSubject: hello"})
    assert response.status_code == 403
    board.name = "Scrutiny\nSubject: hello"
    with pytest.raises(ValidationError) as caught:
        board.full_clean()
    assert "Name must be on one line" in caught.value.message_dict["name"][0]
    board.refresh_from_db()
    assert "\n" not in board.name


@pytest.fixture
def meeting(programme):
    return MeetingFactory(board=programme.boards.get(slug="improvement-board"))


@pytest.mark.parametrize("field", ["venue", "chair"])
def test_a_meetings_venue_or_chair_with_a_line_break_is_refused_in_the_form(
    programme_manager, meeting, field
):
    client = signed_in(programme_manager)
    url = f"/board/meetings/{meeting.pk}/edit/"
    form = opened(client, url)
    response = client.post(url, {**form, field: "Town Hall\nROOM 2"})
    assert f"{field.capitalize()} must be on one line" in response.content.decode()
    assert getattr(Meeting.objects.get(pk=meeting.pk), field) != "Town Hall\nROOM 2"


def test_the_meeting_action_refuses_it_too(programme_manager, meeting):
    with pytest.raises(ValidationError) as caught:
        calendar_actions.meeting_update(
            meeting=meeting, actor=programme_manager, version=meeting.version, chair="A\nB"
        )
    assert caught.value.message_dict["chair"] == [
        "Chair must be on one line: take out the line break, tab or other control character"
    ]


def test_a_recurring_meetings_venue_with_a_line_break_is_refused(programme, programme_manager):
    client = signed_in(programme_manager)
    response = client.post(
        "/board/meetings/schedule/",
        {
            "first_date_0": "5",
            "first_date_1": "1",
            "first_date_2": "2027",
            "count": "3",
            "repeat": "monthly",
            "venue": "Town Hall\nRoom 2",
        },
    )
    assert "Venue must be on one line" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_plan_file_with_such_a_title_is_refused_naming_the_theme():
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["themes"][2]["title"] = "Supervision\nBcc: everyone@example.com"
    slug = data["themes"][2]["slug"]
    with pytest.raises(loader.ProgrammeDataError) as caught:
        loader.programme_load(data=data)
    assert str(caught.value) == (
        f'themes, item 3 ({slug}): "title" must be on one line: take out the line break, tab '
        "or other control character"
    )


def test_a_plan_file_with_such_a_board_name_is_refused():
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["boards"][1]["short_name"] = "Scrutiny\r\n"
    with pytest.raises(loader.ProgrammeDataError, match=r'boards, item 2: "short_name" must be'):
        loader.programme_load(data=data)


def test_an_ordinary_title_with_an_ampersand_and_apostrophe_is_fine(theme, programme_manager):
    theme.title = "Children's Pathways & Transitions"
    theme.full_clean()
