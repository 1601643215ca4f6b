"""The board's year in a browser: the programme manager plans the rota and publishes a pack; a
board member opens it and downloads the PDF. Every page is checked with axe."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.board.factories import MeetingFactory
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def calendar(programme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    board = programme.boards.get(slug="improvement-board")
    today = timezone.localdate()
    return [
        MeetingFactory(board=board, date=today + dt.timedelta(days=10 + 28 * i)) for i in range(4)
    ]


def test_the_manager_plans_and_publishes_a_pack_and_a_board_member_downloads_it(
    sign_in, page, live_server, calendar, programme_manager, board_member
):
    sign_in("pm")
    page.goto(f"{live_server.url}/board/")
    page.get_by_role("link", name="Generate the rota").click()
    expect(page.get_by_role("table", name="Meeting by meeting, before and after")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Apply \d+ changes?$")).click()
    expect(page.get_by_text("Rota generated")).to_be_visible()
    rota = page.get_by_role("table", name="Meetings to come and their focus themes")
    expect(rota.get_by_role("row")).to_have_count(5)
    assert_accessible(page)

    first = calendar[0]
    page.get_by_role("link", name=f"{first.date:%-d %B %Y}").first.click()
    page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_text("The pack is ready")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open the pack").click()
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Publish the pack").click()
    assert_accessible(page)
    confirm = page.get_by_label(re.compile(r"^I have read the \d+ warnings?"))
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name=re.compile(r"^Publish")).click()
    expect(page.get_by_text("Pack published")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in("board")
    page.goto(f"{live_server.url}/board/")
    page.get_by_role("link", name="Open the pack").click()
    focus = [slot.theme.title for slot in first.slots.all()]
    for title in focus:
        expect(page.get_by_role("heading", name=f"Focus theme: {title}")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith("-v1.pdf")
