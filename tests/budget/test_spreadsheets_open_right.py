"""Downloads open right in Excel: text as text (no stray apostrophe), £ figures and dates that
fit their columns, a percentage as a percentage, the header frozen and filtered, a page wide
when printed; a CSV that Excel reads as UTF-8; a filtered ledger that says it is filtered."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from budget import imports
from budget.actions import imports as import_actions
from budget.exports import DATE_FORMAT, MONEY_FORMAT, PERCENT_FORMAT
from tests.budget.conftest import csv_of, row, upload
from tests.budget.test_report import month_end  # noqa: F401

pytestmark = pytest.mark.django_db

TRICKY = ["-ve adjustment (journal)", "+44 1708 434343 call", "@risk register review"]
LONG_NAME = "Head of Service Quality Assurance (additional role)"


def _body(response) -> bytes:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def ledger(set_up, finance_officer):
    rows = [row(ref=f"AP{n}", description=text) for n, text in enumerate(TRICKY)]
    rows.append(row(ref="BIG", amount="-123456.78", description="Credit note"))
    cafe = "£250 refund – café Zoë"
    rows.append(row(ref="CAFE", description=cafe, date="03/11/2019", period="8"))
    batch = upload(set_up, finance_officer, csv_of(*rows))
    assert not batch.errors, batch.errors
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    return set_up


def _sheet(client, address):
    return load_workbook(io.BytesIO(_body(client.get(address)))).active


def _width(sheet, letter):
    return sheet.column_dimensions[letter].width


def test_ledger_text_is_written_as_text_without_an_apostrophe(ledger, client, finance_officer):
    client.force_login(finance_officer)
    sheet = _sheet(client, "/budget/2019-20/ledger.xlsx")
    cells = {c.value: c for r in sheet.iter_rows() for c in r if c.value is not None}
    for text in TRICKY:
        assert text in cells, f"{text!r} arrives changed"
        assert cells[text].data_type == "s"  # a string cell: never run as a formula
    assert not [v for v in cells if isinstance(v, str) and v.startswith("'")]
    # The CSV has no cell types: there the guard stays.
    text = _body(client.get("/budget/2019-20/ledger.csv")).decode("utf-8-sig")
    assert "'-ve adjustment (journal)" in text


def test_ledger_money_dates_and_widths_show_in_full(ledger, client, finance_officer):
    client.force_login(finance_officer)
    sheet = _sheet(client, "/budget/2019-20/ledger.xlsx")
    assert [c.value for c in sheet[1]][:8] == [
        "Posting Date", "Period", "Cost Centre", "Subjective", "Transaction Reference",
        "Post Number", "Description", "Amount",
    ]  # fmt: skip
    big = next(r for r in sheet.iter_rows(min_row=2) if r[4].value == "BIG")
    date, amount = big[0], big[7]
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2019, 5, 15)
    assert date.number_format == DATE_FORMAT
    assert _width(sheet, "A") >= len("30 September 2019")
    assert amount.data_type == "n" and D(str(amount.value)) == D("-123456.78")
    assert amount.number_format == MONEY_FORMAT == "£#,##0.00;[Red]-£#,##0.00"
    assert _width(sheet, "H") >= len("-£123,456.78")
    assert _width(sheet, "G") >= len("£250 refund – café Zoë")
    longest_rule = max(len(r[9].value or "") for r in sheet.iter_rows(min_row=2))
    assert _width(sheet, "J") >= min(longest_rule, 60)
    assert _width(sheet, "J") <= 64, "a column is as wide as its content, within a bound"


def test_a_sheet_freezes_and_filters_its_header_and_prints_a_page_wide(
    ledger, client, finance_officer
):
    client.force_login(finance_officer)
    sheet = _sheet(client, "/budget/2019-20/ledger.xlsx")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # None is the default: one page wide
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"  # the header on every printed page


@pytest.mark.usefixtures("month_end")
def test_the_report_shows_pounds_percentages_and_the_underspend_as_a_figure(
    client, finance_officer
):
    client.force_login(finance_officer)
    sheet = _sheet(client, "/budget/2019-20/report.xlsx")
    rows = list(sheet.iter_rows())
    label = next(r for r in rows if r[0].value == "Underspend to return to corporate budgets")
    assert label[1].data_type == "n" and label[1].number_format == MONEY_FORMAT
    assert _width(sheet, "A") >= len(label[0].value)
    header_at = next(n for n, r in enumerate(rows) if r[0].value == "Budget line")
    header = [c.value for c in rows[header_at]]
    assert sheet.freeze_panes == f"A{header_at + 2}"
    # "Previous forecast outturn" wraps over three lines in its column: the row holds them.
    assert sheet.row_dimensions[header_at + 1].height >= 3 * 15
    assert sheet.auto_filter.ref == f"A{header_at + 1}:L{sheet.max_row}"
    body = rows[header_at + 1 :]
    names = [r[0].value for r in body]
    assert _width(sheet, "A") >= max(len(n) for n in names)
    percent = header.index("Forecast variance %")
    variance = header.index("Forecast variance")
    latest = header.index("Latest budget")
    for r in body:
        money = r[variance]
        assert money.number_format == MONEY_FORMAT and money.data_type == "n"
        cell = r[percent]
        if cell.value is None:
            continue
        assert cell.number_format == PERCENT_FORMAT
        expected = D(str(money.value)) / D(str(r[latest].value))
        assert abs(D(str(cell.value)) - expected) < D("0.0006"), "a fraction, not a percentage"
    for n, name in enumerate(header):
        figures = [r[n].value for r in body if r[n].number_format == MONEY_FORMAT]
        if figures:
            longest = max(len(f"-£{abs(D(str(v))):,.2f}") for v in figures)
            assert _width(sheet, chr(ord("A") + n)) >= longest, f"{name} shows ###"


def test_a_csv_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf8(
    ledger, client, finance_officer
):
    client.force_login(finance_officer)
    for address in ("/budget/2019-20/ledger.csv", "/budget/2019-20/report.csv"):
        assert _body(client.get(address)).startswith("\ufeff".encode())
    data = _body(client.get("/budget/2019-20/ledger.csv"))
    text = data.decode("utf-8-sig")
    assert "£250 refund – café Zoë" in text
    assert "Â" not in text and "Ã" not in text
    assert next(csv.reader(io.StringIO(text)))[0] == "Posting Date", "the header comes first"


def test_an_exported_ledger_csv_with_its_bom_imports_again(ledger, client, finance_officer):
    client.force_login(finance_officer)
    data = _body(client.get("/budget/2019-20/ledger.csv"))
    batch = upload(ledger, finance_officer, data, "ledger-2019-20.csv")
    assert not batch.errors, batch.errors
    # The same transactions, read in full: every row is recognised as imported already.
    summary = imports.ImportSummary.of(batch)
    assert summary.duplicate.count == len(TRICKY) + 2
    assert summary.matched.count == summary.unmatched.count == 0


def test_a_filtered_ledger_says_so_in_its_name_and_first_rows(
    ledger, client, finance_officer, lines
):
    client.force_login(finance_officer)
    line = lines["family-therapists"]
    response = client.get(f"/budget/2019-20/ledger.xlsx?line={line.code}&to=8")
    assert line.title == "Family Therapists (and training)"
    name = "ledger-2019-20-family-therapists-and-training-to-period-8.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    sheet = load_workbook(io.BytesIO(_body(response))).active
    said = f"Filtered: budget line {line.title}; periods up to 8 (November 2019)"
    assert sheet["A1"].value == said
    assert sheet["A2"].value == "Posting Date"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:J")

    response = client.get(f"/budget/2019-20/ledger.csv?line={line.code}&to=8")
    assert response["Content-Disposition"] == f'attachment; filename="{name[:-5]}.csv"'
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0] == [said]
    assert rows[1][0] == "Posting Date"

    response = client.get("/budget/2019-20/ledger.xlsx?period=8")
    assert 'filename="ledger-2019-20-period-8.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_body(response))).active
    assert sheet["A1"].value == "Filtered: period 8 (November 2019)"
