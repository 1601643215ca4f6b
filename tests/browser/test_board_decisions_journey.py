"""A lead asks the Board for a decision in their highlight report; the programme manager builds
and publishes the pack, records the Board's answer at the meeting, and the lead sees it on their
home and opens the pack they present. Every page is checked with axe."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.board.factories import MeetingFactory
from tests.browser.conftest import assert_accessible
from tests.themes.factories import HighlightReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASK = "Agree to extend the agency cover for the two duty teams until March."


@pytest.fixture
def asked(programme, theme, lead, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    board = programme.boards.get(slug="improvement-board")
    meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=6))
    meeting.slots.create(theme=theme)
    HighlightReportFactory(
        submitted=True,
        theme=theme,
        period=timezone.localdate().replace(day=1),
        decisions_needed=ASK,
    )
    return meeting


def test_the_board_s_answer_reaches_the_lead_who_asked(
    sign_in, page, live_server, asked, programme_manager, lead
):
    sign_in("pm")
    page.goto(f"{live_server.url}{asked.get_absolute_url()}")
    page.get_by_role("button", name="Build the pack").click()
    page.get_by_role("link", name="Open the pack").click()
    expect(page.get_by_role("heading", name="Decisions for the Board")).to_be_visible()
    page.get_by_role("link", name="Supervision", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"#pack-decision-\d+$"))
    assert_accessible(page)
    page.goto(f"{live_server.url}{asked.get_absolute_url()}")
    page.get_by_role("link", name="Publish the pack").click()
    confirm = page.get_by_label(re.compile(r"^I have read"))
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name=re.compile(r"^Publish")).click()
    expect(page.get_by_role("heading", name="Decisions asked of the Board")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Record the Board.s answer")).click()
    expect(page.get_by_text(ASK)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # no answer chosen: refused, saying so
    expect(
        page.get_by_role("link", name=re.compile("agreed, declined or deferred"))
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Decision", exact=True).fill("Agency cover extended until March.")
    page.get_by_label("Deferred").check()
    page.get_by_label(re.compile("Conditions")).fill("Bring the costs to the January meeting.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decision recorded: deferred.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in("lead")
    answer = page.get_by_role("link", name=re.compile(r"^The Board.s answer to your request"))
    expect(answer).to_be_visible()
    assert_accessible(page)
    answer.click()
    expect(page.get_by_text("Bring the costs to the January meeting.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open the pack").click()
    expect(page.get_by_role("heading", name="Focus theme: Supervision")).to_be_visible()
