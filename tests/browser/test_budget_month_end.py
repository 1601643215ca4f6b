"""A finance officer's month-end in the browser: import, allocate, close, download."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from budget.demo import demo_setup
from budget.models import BudgetAllocation
from tests.browser.conftest import assert_accessible
from tests.budget.conftest import SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_finance_officer_does_month_end(sign_in, page, live_server, finance_officer, programme):
    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    base = f"{live_server.url}/budget/2019-20"

    sign_in("finance")
    page.goto(f"{base}/imports/")
    assert_accessible(page)
    page.get_by_label("Ledger extract").set_input_files(str(SAMPLE))
    expect(page.get_by_label("Programme cost centres")).to_have_value("C21450")
    page.get_by_role("button", name="Check the file").click()

    expect(page.locator("#import-status")).to_have_text("Waiting for confirmation")
    # Rows for other cost centres are folded away under the "Rows skipped" summary.
    expect(page.get_by_role("cell", name="AP700212")).to_be_hidden()
    page.get_by_text("Rows skipped:").click()
    expect(page.get_by_role("cell", name="AP700212")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 111 rows").click()
    expect(page.get_by_text("Imported 111 rows totalling £199,097.03.")).to_be_visible()

    page.goto(f"{base}/queue/")
    assert_accessible(page)
    for _ in range(3):
        page.get_by_role("link", name="Allocate").first.click()
        page.get_by_label("Budget line", exact=True).select_option(
            label="Family Therapists (and training)"
        )
        if page.get_by_text("Yes: cost centre C21450 with subjective 4800").count():
            assert_accessible(page)
        page.get_by_role("button", name="Allocate").click()
        expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for allocation.")).to_be_visible()

    # Periods close in order: April to September, each after a page saying what it freezes.
    page.goto(f"{base}/periods/")
    for period in range(1, 7):
        expect(page.locator("#next-period")).to_have_text(
            f"The next period to close is period {period}."
        )
        page.get_by_role("link", name=f"Close period {period}").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Close period {period}")
        if period == 6:
            expect(page.locator("#close-total")).to_contain_text("£199,097.03")
            expect(page.get_by_text("the actuals to the end of September 2019")).to_be_visible()
            assert_accessible(page)
        page.get_by_role("button", name=f"Close period {period}").click()
        expect(
            page.get_by_text(f"Period {period} is closed; its actuals are frozen.")
        ).to_be_visible()
    expect(page.locator("#next-period")).to_have_text("The next period to close is period 7.")
    assert_accessible(page)

    page.goto(f"{base}/")
    total = page.locator("#report-total")
    expect(total).to_contain_text("£199,097.03")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (Excel, XLSX)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    total_row = next(r for r in rows if r[0] == "Total")
    assert Decimal(str(total_row[4])) == Decimal("199097.03")
