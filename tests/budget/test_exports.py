"""The ledger downloads stream: rows go out as they are read, from the exported columns only,
with the same figures the ledger page shows."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from budget.actions import imports as import_actions
from budget.actions import rules as rule_actions
from budget.models import LedgerRow
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming, "the export is built whole before anything is sent"
    return b"".join(response.streaming_content)


@pytest.fixture
def ledger(set_up, finance_officer, lines):
    rows = [row(ref=f"AP{n:03d}", amount=f"{n}.50", description=f"Item {n}") for n in range(30)]
    rows.append(row(ref="TRAIN1", subjective="9999", amount="90.00", description="Training"))
    rows.append(row(ref="TRAIN2", subjective="9999", amount="12.00", description="Waiting"))
    batch = upload(set_up, finance_officer, csv_of(*rows))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    split = LedgerRow.objects.get(reference="TRAIN1")
    first, second = list(lines.values())[:2]
    rule_actions.row_allocate(
        row=split, splits=[(first, D("60.00")), (second, D("30.00"))], actor=finance_officer
    )
    return {"first": first, "second": second}


def test_the_csv_export_streams_every_row_with_its_line_and_match(ledger, client, finance_officer):
    client.force_login(finance_officer)
    response = client.get("/budget/2019-20/ledger.csv")
    assert response["Content-Disposition"] == 'attachment; filename="ledger-2019-20.csv"'
    data = _body(response)
    assert data.startswith(b"\xef\xbb\xbf"), "Excel reads a CSV without a BOM as Windows-1252"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "Posting Date", "Period", "Cost Centre", "Subjective", "Transaction Reference",
        "Post Number", "Description", "Amount",
    ]  # fmt: skip
    assert len(body) == 32
    by_ref = {r[4]: r for r in body}
    assert by_ref["AP007"][:8] == [
        "15/05/2019",
        "2",
        "C21450",
        "4010",
        "AP007",
        "",
        "Item 7",
        "7.50",
    ]
    assert by_ref["AP007"][8] == "Research in Practice membership"
    assert by_ref["AP007"][9].startswith("Cost centre C21450, subjective 4010")
    first, second = ledger["first"].title, ledger["second"].title
    assert by_ref["TRAIN1"][8] == f"{first}; {second}"
    assert by_ref["TRAIN2"][8] == "Waiting for allocation"
    assert by_ref["TRAIN2"][9] == "Not matched"


def test_the_xlsx_export_has_the_same_rows_as_numbers_and_dates(ledger, client, finance_officer):
    client.force_login(finance_officer)
    response = client.get("/budget/2019-20/ledger.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="ledger-2019-20.xlsx"'
    sheet = load_workbook(io.BytesIO(_body(response))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 33
    by_ref = {r[4]: r for r in values[1:]}
    assert by_ref["AP007"][0].date().isoformat() == "2019-05-15"
    assert D(str(by_ref["AP007"][7])) == D("7.50")
    assert sum(D(str(r[7])) for r in values[1:]) == sum(D(f"{n}.50") for n in range(30)) + 102


def test_a_filtered_export_has_only_that_lines_rows(ledger, client, finance_officer):
    client.force_login(finance_officer)
    code = ledger["second"].code
    text = _body(client.get(f"/budget/2019-20/ledger.csv?line={code}")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [f"Filtered: budget line {ledger['second'].title}"]
    references = [r[4] for r in rows[2:]]
    assert "TRAIN1" in references
    assert "AP001" not in references


def test_the_export_reads_only_the_exported_columns_in_a_fixed_number_of_queries(
    ledger, client, finance_officer
):
    client.force_login(finance_officer)
    with CaptureQueriesContext(connection) as few:
        _body(client.get("/budget/2019-20/ledger.csv"))
    more = [row(ref=f"MORE{n:04d}", amount="1.00") for n in range(300)]
    batch = upload(ledger["first"].allocation, finance_officer, csv_of(*more))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    with CaptureQueriesContext(connection) as many:
        _body(client.get("/budget/2019-20/ledger.csv"))
    assert len(many) == len(few)
    ledger_reads = [q["sql"] for q in many if 'FROM "budget_ledgerrow"' in q["sql"]]
    assert ledger_reads
    for sql in ledger_reads:
        assert "summary" not in sql and "budget_ledgerimport" not in sql


def test_the_ledger_page_warns_that_a_large_excel_download_takes_a_while(
    ledger, client, finance_officer, monkeypatch
):
    client.force_login(finance_officer)
    assert "takes up to a minute" not in client.get("/budget/2019-20/ledger/").content.decode()
    monkeypatch.setattr("budget.views.ledger.LARGE_DOWNLOAD_ROWS", 32)
    html = client.get("/budget/2019-20/ledger/").content.decode()
    assert "An Excel file of 32 rows takes up to a minute" in html
    assert "The CSV file starts at once" in html


def test_rows_beyond_a_full_sheet_go_on_to_the_next_sheet(monkeypatch):
    from budget import exports

    monkeypatch.setattr(exports, "SHEET_ROWS", 4)
    rows = [[f"AP{n}", D(f"{n}.00")] for n in range(7)]
    with exports.xlsx_file("Ledger", ["Reference", "Amount"], rows) as out:
        workbook = load_workbook(out)
    assert workbook.sheetnames == ["Ledger", "Ledger (2)", "Ledger (3)"]
    written = [r for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True)]
    assert [r for r in written if r[0] != "Reference"] == [(f"AP{n}", n) for n in range(7)]
    assert all(sheet.cell(1, 1).value == "Reference" for sheet in workbook.worksheets)
