"""On a 390 px phone no page scrolls sideways: tables of records stack as cards, other wide
tables scroll inside their own labelled box, and the page around them stays the width of the
screen."""

import pytest

from budget.models import BudgetAllocation
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _pages(year):
    return [
        "/",
        "/themes/",
        "/themes/supervision/",
        "/themes/supervision/milestones/",
        "/themes/supervision/measures/",
        "/themes/supervision/risks/",
        "/themes/supervision/reports/",
        "/themes/supervision/history/",
        "/budget/",
        f"/budget/{year}/ledger/",
        f"/budget/{year}/queue/",
        f"/budget/{year}/imports/",
        f"/budget/{year}/themes/",
        f"/budget/{year}/lines/project-manager/",
        "/evaluation/",
        "/evaluation/readiness/",
        "/evaluation/inspections/",
        "/board/",
        "/board/actions/",
    ]


def test_no_main_page_scrolls_sideways_on_a_phone(
    demo_programme,
    page,
    live_server,
    sign_in,
    settings,
):
    year = BudgetAllocation.objects.order_by("-start_year").first().financial_year.slug
    page.set_viewport_size(PHONE)
    sign_in("programme.manager", settings.DEMO_PASSWORD)
    wide = {}
    for path in _pages(year):
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert wide == {}
    # On a phone the ledger's rows stack, so its box has nothing to scroll. On a small tablet,
    # where the ledger is a table of many columns again, the box scrolls, and it can be reached
    # and scrolled from the keyboard.
    page.goto(f"{live_server.url}/budget/{year}/ledger/")
    box = page.locator(".app-table-scroll").first
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.set_viewport_size({"width": 700, "height": 1024})
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 700
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
    assert_accessible(page)
