import datetime as dt
import shutil

import pytest
from django.conf import settings

from board.models import Board
from tests.board.factories import MeetingFactory


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    """Packs and reports write files: each test gets its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def board(programme) -> Board:
    return programme.boards.get(slug="improvement-board")


@pytest.fixture
def scrutiny(programme) -> Board:
    return programme.boards.get(slug="scrutiny")


@pytest.fixture
def slt(programme) -> Board:
    return programme.boards.get(slug="slt")


@pytest.fixture
def meeting(board):
    """A meeting a fortnight ahead, with the Supervision and Quality Assurance themes in focus."""
    from django.utils import timezone

    meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=14))
    for slug in ("supervision", "quality-assurance"):
        meeting.slots.create(theme=board.programme.themes.get(slug=slug))
    return meeting


__all__ = ["settings"]
