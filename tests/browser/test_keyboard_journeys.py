"""The three main tasks done with the keyboard alone, in Chromium: a lead submits a highlight
report, a finance officer imports a ledger extract, a board member opens a published pack.

Each journey starts on the home page the user lands on after signing in and reaches its task
through the service navigation and the pages' own links, as a keyboard user would. Only Tab /
Shift+Tab, typing, Space / Enter and arrow keys drive the pages: no click(), fill() or
select_option(). Two things stand in for what a keyboard user does outside the page: goto() for
typing the sign-in page's address, and set_input_files() on the focused file input for the
operating system's file dialog. At every stop the focused element must be on screen (a non-empty
box), and every page reached is checked with axe.

Keyboard problems found: none so far in these three journeys.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budget.demo import demo_setup
from budget.models import BudgetAllocation
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack
from tests.board.factories import MeetingFactory
from tests.browser.conftest import DEMO_PASSWORD, assert_accessible
from tests.budget.conftest import SAMPLE
from themes.models import HighlightReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_IS_FOCUSED = "el => el === document.activeElement"


def assert_focus_visible(page):
    """The focused element has a box on screen: a keyboard user can see where they are."""
    box = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const r = el.getBoundingClientRect();
            return {w: r.width, h: r.height, what: el.outerHTML.slice(0, 120)};
        }"""
    )
    assert box is not None, "Nothing has the focus (it is on the page body)"
    assert box["w"] > 0 and box["h"] > 0, f"The focused element has no visible box: {box['what']}"


def _describe_focus(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el ? el.outerHTML.slice(0, 120) : 'nothing'; }"
    )


def tab_to(page, locator, limit=150, backwards=False):
    """Press Tab (or Shift+Tab) until `locator` has the focus; fail saying where focus went."""
    key = "Shift+Tab" if backwards else "Tab"
    expect(locator).to_be_attached()
    for _ in range(limit):
        if locator.evaluate(_IS_FOCUSED):
            assert_focus_visible(page)
            return locator
        page.keyboard.press(key)
    if locator.evaluate(_IS_FOCUSED):
        assert_focus_visible(page)
        return locator
    pytest.fail(
        f"{limit} presses of {key} did not reach {locator} on {page.url}; "
        f"the focus ended on {_describe_focus(page)}"
    )


def press_on(page, locator, key="Enter"):
    """Tab to a link or button and activate it with the keyboard; wait for the next page."""
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def choose(page, select, label):
    """Pick an option of a closed <select> by typing its text (the browser's type-ahead)."""
    tab_to(page, select)
    page.keyboard.type(label)
    chosen = select.evaluate("el => el.options[el.selectedIndex].text.trim()")
    assert chosen == label, f"Typing {label!r} into {select} chose {chosen!r}"


def keyboard_sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    username_box = page.get_by_label("Username")
    expect(username_box).to_be_focused()  # autofocus: the user types straight away
    assert_focus_visible(page)
    assert_accessible(page)
    page.keyboard.type(username)
    type_into(page, page.get_by_label("Password"), DEMO_PASSWORD)
    press_on(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/")  # the home page


def menu_link(page, label):
    """A link in the service navigation (the menu at the top of every page)."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)


def test_a_lead_writes_and_submits_a_highlight_report_with_the_keyboard_alone(
    page, live_server, lead, theme_in_progress
):
    keyboard_sign_in(page, live_server, "lead")
    press_on(page, menu_link(page, "My theme"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision")
    assert_accessible(page)

    # The theme's parts are links: Tab reaches Reports, Enter opens it.
    reports = page.get_by_role("navigation", name="Parts of this theme").get_by_role(
        "link", name="Reports"
    )
    press_on(page, reports)
    expect(reports).to_have_attribute("aria-current", "page")
    press_on(page, page.get_by_role("link", name="Start a highlight report"))

    choose(page, page.get_by_label("Reporting month"), "November 2026")
    assert_accessible(page)
    press_on(page, page.get_by_role("button", name="Start the report"))

    expect(page.get_by_label("Time rating", exact=True)).to_have_value("amber")
    choose(page, page.get_by_label("Overall status", exact=True), "Amber")
    type_into(page, page.get_by_label("Reason for the overall status"), "One milestone is late.")
    type_into(
        page,
        page.get_by_label("Status summary"),
        "Supervision is improving; the policy is late.",
    )
    for area in ("Cost", "Scope", "Quality", "Benefits"):
        choose(page, page.get_by_label(f"{area} rating", exact=True), "Green")
    type_into(page, page.get_by_label("Path to green"), "Policy to the December meeting.")
    assert_accessible(page)
    press_on(page, page.get_by_role("button", name="Save draft"))

    expect(page.get_by_text("Your changes were saved.")).to_be_visible()
    assert_accessible(page)
    press_on(page, page.get_by_role("link", name="Submit the report"))
    assert_accessible(page)
    press_on(page, page.get_by_role("button", name="Submit and lock the report"))

    expect(page.get_by_text("This report is locked")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the report")).to_have_count(0)
    tab_to(page, page.get_by_role("link", name="Correct this report"))
    assert_accessible(page)
    report = HighlightReport.objects.get()
    assert report.status == "submitted" and report.submitted_by == lead
    assert report.overall_rag == "amber" and report.cost_rag == "green"


def test_a_finance_officer_imports_a_ledger_extract_with_the_keyboard_alone(
    page, live_server, finance_officer, programme
):
    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    keyboard_sign_in(page, live_server, "finance")
    press_on(page, menu_link(page, "Budget"))
    expect(menu_link(page, "Budget")).to_have_attribute("aria-current", "page")
    years = page.get_by_role("navigation", name="Financial years")
    if years.count():  # more than one year allocated: choose 2019/20 among them
        press_on(page, years.get_by_role("link", name="2019/20", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget monitoring 2019/20")
    press_on(
        page,
        page.get_by_role("navigation", name="Budget 2019/20").get_by_role("link", name="Imports"),
    )
    expect(page).to_have_url(f"{live_server.url}/budget/2019-20/imports/")
    assert_accessible(page)

    file_input = page.get_by_label("Ledger extract")
    tab_to(page, file_input)
    # Space on a focused file input opens the operating system's dialog, which Playwright
    # cannot drive; choosing the file there is what set_input_files stands for.
    file_input.set_input_files(str(SAMPLE))
    expect(file_input).to_be_focused()
    expect(page.get_by_label("Programme cost centres")).to_have_value("C21450")
    press_on(page, page.get_by_role("button", name="Check the file"))

    expect(page.locator("#import-status")).to_have_text("Waiting for confirmation")
    # Rows for other cost centres are folded away under the "Rows skipped" summary:
    # Enter on the focused summary opens them.
    expect(page.get_by_role("cell", name="AP700212")).to_be_hidden()
    tab_to(page, page.locator("#skipped summary"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("cell", name="AP700212")).to_be_visible()
    assert_accessible(page)
    press_on(page, page.get_by_role("button", name="Import 111 rows"))
    expect(page.get_by_text("Imported 111 rows totalling £199,097.03.")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def published_pack(programme, programme_manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    board = programme.boards.get(slug="improvement-board")
    meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=14))
    meeting.slots.create(theme=programme.themes.get(slug="supervision"))
    pack = pack_actions.pack_request(meeting=meeting, actor=programme_manager)
    pack.refresh_from_db()
    if pack.status == MeetingPack.Status.BUILDING:  # not built on commit: build it here
        pack = pack_actions.pack_build(pack_id=pack.pk, attempt=pack.build_attempt)
    return pack_actions.pack_publish(pack=pack, actor=programme_manager)


def test_a_board_member_opens_a_published_pack_and_downloads_it_with_the_keyboard_alone(
    page, live_server, board_member, published_pack
):
    keyboard_sign_in(page, live_server, "board")
    press_on(page, menu_link(page, "Board"))
    expect(menu_link(page, "Board")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    press_on(page, page.get_by_role("link", name="Open the pack"))
    expect(page.get_by_role("heading", name="Focus theme: Supervision")).to_be_visible()
    assert_accessible(page)

    download_link = page.get_by_role("link", name="Download the PDF")
    tab_to(page, download_link)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
