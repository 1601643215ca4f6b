"""On a 390 px phone the page holds still and what a person came to do is within reach: no page
jumps as it loads (the menu is folded from the first paint), a risk's Edit link is on screen
without scrolling sideways, and the home's programme links are targets 24 px tall."""

import pytest

from budget.models import BudgetAllocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The layout shifts since the page started loading (Cumulative Layout Shift, as Lighthouse
# counts it), read once the page has loaded and its scripts have run.
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.fixture
def phone(page, live_server, sign_in, settings, demo_programme):
    page.set_viewport_size(PHONE)
    sign_in("programme.manager", settings.DEMO_PASSWORD)
    return page


def test_no_main_page_moves_as_it_loads_on_a_phone(phone, live_server):
    year = BudgetAllocation.objects.order_by("-start_year").first().financial_year.slug
    pages = [
        "/",
        "/about/",
        "/themes/",
        "/themes/supervision/",
        "/themes/supervision/risks/",
        "/budget/",
        f"/budget/{year}/ledger/",
        "/evaluation/",
        "/board/",
        "/board/actions/",
    ]
    shifts = {}
    for path in pages:
        assert phone.goto(f"{live_server.url}{path}").ok, path
        phone.wait_for_load_state("load")
        shifts[path] = round(phone.evaluate(LAYOUT_SHIFT), 3)
    assert shifts == dict.fromkeys(pages, 0)
    # The menu is there, folded behind its button, and opens.
    menu = phone.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not phone.locator("#navigation").is_visible()
    menu.click()
    assert phone.locator("#navigation").is_visible()


def test_a_risks_edit_link_is_on_screen_on_a_phone(phone, live_server):
    phone.goto(f"{live_server.url}/themes/supervision/risks/")
    edit = phone.get_by_role("link", name="Edit risk 1")
    edit.scroll_into_view_if_needed()
    box = edit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Its row's figures are labelled with their column's name.
    row = phone.locator("tbody tr").first
    for label in ("Likelihood", "Status"):
        shown = row.locator(f'[data-label="{label}"]').evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert label in shown and shown != "none", shown
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_budget_reports_variance_and_rag_are_on_screen_on_a_phone(phone, live_server):
    phone.goto(f"{live_server.url}/budget/")
    total = phone.locator("#forecast-total")
    for label in ("Forecast variance", "RAG"):
        cell = total.locator(f'[data-label="{label}"]')
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label


def test_the_homes_programme_links_are_24_px_targets(phone, live_server):
    phone.goto(f"{live_server.url}/")
    links = phone.locator(".app-related-items a")
    assert links.count() == 5
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    assert min(heights) >= 24, heights
