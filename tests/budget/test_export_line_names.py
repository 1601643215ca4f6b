"""The ledger download's "Budget line" column holds line names and nothing else, in CSV and
XLSX alike: a row placed by hand on one line shows that line's name, a split row the names of
its lines, and how it was placed (with each share) is said under "Matched by"."""

import csv
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from budget.actions import imports as import_actions
from budget.actions import rules as rule_actions
from budget.models import LedgerRow
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(set_up, finance_officer, lines):
    rows = [
        row(ref="ONE", subjective="9999", amount="12,500.00", description="Therapy training"),
        row(ref="TWO", subjective="9999", amount="90.00", description="Shared training"),
    ]
    batch = upload(set_up, finance_officer, csv_of(*rows))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    first, second = list(lines.values())[:2]
    rule_actions.row_allocate(
        row=LedgerRow.objects.get(reference="ONE"),
        splits=[(first, D("12500.00"))],
        actor=finance_officer,
    )
    rule_actions.row_allocate(
        row=LedgerRow.objects.get(reference="TWO"),
        splits=[(first, D("60.00")), (second, D("30.00"))],
        actor=finance_officer,
    )
    return first.title, second.title


def _by_reference(values):
    header = list(values[0])
    return {r[header.index("Transaction Reference")]: r for r in values[1:]}, header


def _check(values, first, second):
    by_ref, header = _by_reference(values)
    line, how = header.index("Budget line"), header.index("Matched by")
    assert by_ref["ONE"][line] == first
    assert by_ref["ONE"][how] == "Allocated by hand"
    assert by_ref["TWO"][line] == f"{first}; {second}"
    assert by_ref["TWO"][how] == f"Split by hand: £60.00 to {first}; £30.00 to {second}"


def test_the_csv_budget_line_column_is_the_lines_name_alone(placed, client, finance_officer):
    client.force_login(finance_officer)
    response = client.get("/budget/2019-20/ledger.csv")
    text = b"".join(response.streaming_content).decode()
    _check(list(csv.reader(io.StringIO(text))), *placed)


def test_the_xlsx_budget_line_column_is_the_lines_name_alone(placed, client, finance_officer):
    client.force_login(finance_officer)
    response = client.get("/budget/2019-20/ledger.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    _check(list(sheet.iter_rows(values_only=True)), *placed)
