"""On a 390 px phone every page with a table of records reads without scrolling sideways: each
row is a card, its key first, its figures and status labelled with their column's name, and its
action (Edit, Update, Allocate, Remove) on screen. Each page holds still as it loads, "Sign out"
keeps within the page's margin, and the page passes axe. Each page is read as the role that
uses it."""

import pytest

from board.models import Meeting
from budget.models import BudgetAllocation, LedgerImport
from evaluation.models import EvaluationActivity, Inspection
from reporting.models import MeetingPack
from tests.browser.conftest import assert_accessible
from tests.browser.test_phone_layout import LAYOUT_SHIFT, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What on the page does not fit a phone's width: the page itself scrolling sideways, a table
# wider than the screen (even inside a box of its own that scrolls), a link in a table's rows
# out of view, and "Sign out" past the page's 15 px margin.
OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) found.push(`the page is ${page} px wide`);
  for (const table of document.querySelectorAll("table")) {
    if (!table.checkVisibility()) continue;
    const name = (table.caption ? table.caption.innerText : table.id).trim();
    const box = table.getBoundingClientRect();
    if (box.right > width + 0.5) found.push(`table "${name}" reaches ${Math.round(box.right)} px`);
    for (const link of table.querySelectorAll("tbody a, tfoot a")) {
      if (!link.checkVisibility()) continue;
      const at = link.getBoundingClientRect();
      if (at.left < 0 || at.right > width + 0.5)
        found.push(`"${link.innerText}" in "${name}" is at ${Math.round(at.left)} px`);
    }
  }
  for (const button of document.querySelectorAll("button")) {
    if (button.innerText.trim() !== "Sign out" || !button.checkVisibility()) continue;
    const at = button.getBoundingClientRect();
    if (at.left < 15 || at.right > width - 15)
      found.push(`"Sign out" spans ${Math.round(at.left)}-${Math.round(at.right)} px`);
  }
  return found;
}"""


def _pages_by_role() -> dict[str, list[str]]:
    allocation = BudgetAllocation.objects.order_by("-start_year").first()
    year = allocation.financial_year.slug
    line = allocation.lines.order_by("order").first().code
    batch = LedgerImport.objects.order_by("pk").first()
    pack = MeetingPack.objects.filter(published_at__isnull=False).order_by("-pk").first()
    meeting = Meeting.objects.filter(actions__isnull=False).order_by("-date").first()
    inspection = Inspection.objects.filter(recommendations__isnull=False).first()
    activity = EvaluationActivity.objects.order_by("pk").first()
    budget = f"/budget/{year}"
    return {
        "programme.manager": [
            "/",
            "/about/",
            f"{budget}/ledger/",
            f"{budget}/queue/",
            f"{budget}/imports/",
            f"{budget}/imports/{batch.pk}/",
            f"{budget}/rules/",
            f"{budget}/periods/",
            f"{budget}/virements/",
            f"{budget}/themes/",
            f"{budget}/lines/{line}/",
            "/board/",
            f"/board/meetings/{meeting.pk}/",
            "/board/actions/",
            "/board/reports/",
            "/board/rota/history/",
            f"/board/packs/{pack.pk}/",
            "/evaluation/",
            "/evaluation/readiness/",
            "/evaluation/inspections/",
            f"/evaluation/inspections/{inspection.pk}/",
            f"/evaluation/activities/{activity.pk}/",
            "/evaluation/themes/supervision/",
            "/themes/supervision/",
            "/themes/supervision/reports/",
            "/themes/supervision/history/",
            "/themes/supervision/cost/",
        ],
        "lead.supervision": [
            "/",
            "/themes/mine/",
            "/themes/supervision/risks/",
            "/themes/supervision/milestones/",
            "/board/actions/",
        ],
        "finance.officer": ["/", f"{budget}/ledger/", f"{budget}/queue/", "/budget/"],
        "board.member": ["/", "/board/", f"/board/packs/{pack.pk}/"],
    }


def test_every_table_of_records_fits_a_phone_for_the_role_that_reads_it(
    demo_programme, page, live_server, settings
):
    page.set_viewport_size(PHONE)
    off_screen, shifts = {}, {}
    for username, paths in _pages_by_role().items():
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.ok, f"{username} {path} answered {response.status}"
            page.wait_for_load_state("load")
            shift = page.evaluate(LAYOUT_SHIFT)
            if shift:
                shifts[f"{username} {path}"] = round(shift, 3)
            found = page.evaluate(OFF_SCREEN)
            if found:
                off_screen[f"{username} {path}"] = found
            assert_accessible(page)
    assert off_screen == {}
    assert shifts == {}


def test_a_stacked_row_shows_its_key_its_labelled_status_and_its_action(
    demo_programme, page, live_server, sign_in, settings
):
    """The allocation queue as the finance officer keeps it: each waiting row's date heads its
    card, its amount is labelled, and its Allocate link is on screen."""
    year = BudgetAllocation.objects.order_by("-start_year").first().financial_year.slug
    page.set_viewport_size(PHONE)
    sign_in("finance.officer", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/budget/{year}/queue/")
    row = page.locator("#queue tbody tr").first
    allocate = row.get_by_role("link", name="Allocate")
    allocate.scroll_into_view_if_needed()
    box = allocate.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    amount = row.locator('[data-label="Amount"]')
    assert "Amount" in amount.evaluate("cell => getComputedStyle(cell, '::before').content")
    # The cells sit one under another: the amount is below the row's date, not beside it.
    key = row.locator("td").first.bounding_box()
    assert amount.bounding_box()["y"] >= key["y"] + key["height"]
    # Above a phone's width the same table is a table again, its column headers shown.
    page.set_viewport_size({"width": 1024, "height": 768})
    assert page.locator("#queue thead th").first.is_visible()
    beside = row.locator("td").first.bounding_box()
    assert amount.bounding_box()["y"] == pytest.approx(beside["y"], abs=2)
