"""What the importer accepts from real extracts, and how it rejects what it cannot read."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget.imports import ImportSummary
from budget.ledger import parse_money
from budget.models import LedgerImport, LedgerRow
from budget.selectors import split_pennies
from tests.budget.conftest import HEADER, csv_of, row, upload, xlsx_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250.00", "1250.00"),
        ("£1,250.00", "1250.00"),
        ("(1,250.00)", "-1250.00"),
        ("(£1,250.50)", "-1250.50"),
        ("-2500", "-2500.00"),
        ("-£12.5", "-12.50"),
        (" 3,315.00 ", "3315.00"),
        (866.67, "866.67"),
        (12500, "12500.00"),
    ],
)
def test_money_is_read_from_what_ledgers_write(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.234", "12,50.0.0", "((1))", "£", "1e3", "(-5)"])
def test_anything_else_is_not_money(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_a_file_with_pound_signs_thousands_and_bracketed_negatives_is_read(set_up, finance_officer):
    content = csv_of(
        row(ref="AP1", amount="£12,500.00"),
        row(ref="AP2", amount="(1,250.00)"),
        row(ref="AP3", amount="-£50.25"),
    )
    batch = upload(set_up, finance_officer, content)
    assert batch.status == LedgerImport.Status.PREVIEWED
    assert ImportSummary.of(batch).recognised.count == 3
    assert ImportSummary.of(batch).matched.total == Decimal("11199.75")


def test_a_byte_order_mark_and_trailing_blank_rows_are_ignored(set_up, finance_officer):
    content = "\ufeff" + csv_of(row(ref="AP1"), row(ref="AP2")) + ",,,,,,,,,\n\n,,,,,,,,,\n"
    batch = upload(set_up, finance_officer, content)
    assert batch.status == LedgerImport.Status.PREVIEWED, batch.errors
    assert ImportSummary.of(batch).recognised.count == 2
    assert ImportSummary.of(batch).blank_rows == 3


def test_columns_are_found_by_header_in_any_order(set_up, finance_officer):
    header = "amount,Transaction Reference, posting date ,PERIOD,Subjective,Cost Centre,Extra"
    content = "\n".join([header, "99.99,AP9,15/05/2019,2,4010,C21450,ignored"]) + "\n"
    batch = upload(set_up, finance_officer, content)
    assert batch.status == LedgerImport.Status.PREVIEWED, batch.errors
    sample = ImportSummary.of(batch).matched.samples[0]
    assert sample.reference == "AP9"
    assert sample.amount == Decimal("99.99")
    assert sample.line == "Research in Practice membership"


def test_an_xlsx_extract_with_real_excel_dates_is_read(set_up, finance_officer):
    content = xlsx_of(
        [
            HEADER.split(","),
            [
                dt.datetime(2019, 5, 15),
                2,
                "C21450",
                "Prog",
                4010,
                "Subs",
                "AP1",
                None,
                "RiP",
                15000,
            ],
            [43600, 2, "C21450", "Prog", "4010", "Subs", "AP2", None, "Serial date", -12.5],
            [None] * 10,
        ]
    )
    batch = upload(set_up, finance_officer, content, "extract.xlsx")
    assert batch.status == LedgerImport.Status.PREVIEWED, batch.errors
    summary = ImportSummary.of(batch)
    # 43600 is Excel's serial number for 15 May 2019.
    assert [s.date for s in summary.matched.samples] == [dt.date(2019, 5, 15)] * 2
    assert summary.matched.total == Decimal("14987.50")


def test_a_bad_date_is_rejected_with_its_row_and_column(set_up, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row(), row(ref="AP2", date="31/02/2019")))
    assert batch.status == LedgerImport.Status.REJECTED
    assert batch.errors == [
        {
            "row": 3,
            "column": "Posting Date",
            "message": "“31/02/2019” is not a date like 28/04/2019.",
        }
    ]


def test_an_amount_that_is_not_money_is_rejected_with_its_row(set_up, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row(amount="twelve")))
    assert batch.status == LedgerImport.Status.REJECTED
    assert batch.errors[0]["row"] == 2
    assert batch.errors[0]["column"] == "Amount"
    assert "twelve" in batch.errors[0]["message"]


def test_a_missing_column_is_named(set_up, finance_officer):
    content = "Posting Date,Period,Cost Centre,Subjective,Amount\n15/05/2019,2,C21450,4010,5\n"
    batch = upload(set_up, finance_officer, content)
    assert batch.status == LedgerImport.Status.REJECTED
    assert [e["column"] for e in batch.errors] == ["Transaction Reference"]
    assert "missing" in batch.errors[0]["message"]


def test_a_period_that_does_not_match_the_date_is_rejected(set_up, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row(date="15/05/2019", period="3")))
    assert batch.errors == [
        {
            "row": 2,
            "column": "Period",
            "message": "Period 3 does not match the posting date 15/05/2019 (period 2).",
        }
    ]


def test_a_date_outside_the_financial_year_is_rejected(set_up, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row(date="15/05/2020", period="2")))
    assert batch.status == LedgerImport.Status.REJECTED
    assert "outside financial year 2019/20" in batch.errors[0]["message"]


def test_every_problem_in_a_file_is_listed_and_nothing_is_imported(set_up, finance_officer):
    content = csv_of(
        row(ref="AP1"),
        row(ref="AP2", date="yesterday"),
        row(ref="AP3", amount="1.234"),
        row(ref="AP4", period="13"),
        row(ref="AP1"),
    )
    batch = upload(set_up, finance_officer, content)
    assert batch.status == LedgerImport.Status.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (3, "Posting Date"),
        (4, "Amount"),
        (5, "Period"),
        (6, "Transaction Reference"),
    ]
    assert not LedgerRow.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_rejected(set_up, finance_officer):
    batch = upload(set_up, finance_officer, b"\x89PNG\x00\x00garbage", "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert "could not be opened" in batch.errors[0]["message"]


def test_an_empty_file_is_rejected(set_up, finance_officer):
    batch = upload(set_up, finance_officer, "\n\n")
    assert batch.status == LedgerImport.Status.REJECTED
    assert "empty" in batch.errors[0]["message"]


def test_a_pay_subjective_that_excel_stored_as_a_number_keeps_its_leading_zero(
    set_up, finance_officer
):
    content = xlsx_of(
        [HEADER.split(","), ["28/04/2019", 1, "C21450", "P", 101, "Salaries", "PAY1", "", "x", 5]]
    )
    batch = upload(set_up, finance_officer, content, "extract.xlsx")
    assert ImportSummary.of(batch).unmatched.samples[0].subjective == "0101"


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_any_amount_written_the_ledger_way_reads_back_exactly(amount):
    text = f"£{abs(amount):,.2f}"
    written = f"({text})" if amount < 0 else text
    assert parse_money(written) == amount


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False),
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=9).filter(any),
)
def test_shares_always_add_up_to_the_amount(amount, weights):
    parts = split_pennies(amount, [Decimal(w) for w in weights])
    assert sum(parts) == amount
