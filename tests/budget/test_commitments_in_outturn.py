"""A commitment is money the line will spend: it counts in the forecast outturn until the ledger
row that pays it (quoting its reference) is in the line's actuals, and then it is counted once,
as an actual."""

import datetime as dt
from decimal import Decimal as D

import pytest

from budget.actions import imports as import_actions
from budget.actions import lines as line_actions
from budget.actions import rules as rule_actions
from budget.models import LedgerRow
from budget.selectors import budget_report
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(imported_sample, finance_officer, lines):
    """The Research in Practice line: paid in May, nothing more forecast."""
    line = lines["research-in-practice"]
    for queued in LedgerRow.objects.filter(line__isnull=True):
        rule_actions.row_allocate(
            row=queued, splits=[(lines["family-therapists"], queued.amount)], actor=finance_officer
        )
    line_actions.line_months_update(
        line=line,
        actor=finance_officer,
        version=line.version,
        profile={p: D("15000.00") if p == 2 else D("0.00") for p in range(1, 13)},
        forecast=dict.fromkeys(range(1, 13), D("0.00")),
    )
    return line


def _figures(line):
    report = budget_report(line.allocation)
    return {f.line.code: f for f in report.lines}[line.code], report


def test_a_commitment_counts_in_the_outturn_until_the_row_that_pays_it_is_in_the_actuals(
    membership, finance_officer, client
):
    client.force_login(finance_officer)
    page = f"/budget/2019-20/lines/{membership.code}/"
    before, _ = _figures(membership)
    line_actions.commitment_add(
        actor=finance_officer,
        line=membership,
        kind="order",
        description="Research in Practice workshops",
        reference="PO-90417",
        amount=D("1500.00"),
        raised_on=dt.date(2019, 9, 20),
    )
    committed, report = _figures(membership)
    assert committed.commitments == D("1500.00")
    assert committed.latest_outturn == before.latest_outturn + D("1500.00")
    assert sum(committed.forecast.values()) == committed.latest_outturn
    assert report.total.latest_outturn == sum(f.latest_outturn for f in report.lines)
    assert "Still to be paid" in client.get(page).content.decode()

    # The invoice quoting the order number is imported and placed on the line by its rule.
    invoice = row(
        ref="AP990001",
        date="14/10/2019",
        period="7",
        subjective="4010",
        description="Workshops invoice PO-90417",
        amount="1500.00",
    )
    batch = upload(membership.allocation, finance_officer, csv_of(invoice))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    paid, report = _figures(membership)
    assert paid.actual_to_date == before.actual_to_date + D("1500.00")
    assert paid.commitments == D("0.00")
    assert paid.latest_outturn == before.latest_outturn + D("1500.00")  # counted once
    assert report.total.commitments == D("0.00")
    assert "Paid: in the actuals" in client.get(page).content.decode()


def test_a_row_still_waiting_for_allocation_does_not_pay_the_commitment(
    membership, finance_officer
):
    line_actions.commitment_add(
        actor=finance_officer,
        line=membership,
        kind="order",
        description="Workshops",
        reference="PO-90418",
        amount=D("800.00"),
        raised_on=dt.date(2019, 9, 20),
    )
    waiting = row(ref="AP990002", period="7", date="14/10/2019", subjective="9999",
                  description="Invoice PO-90418", amount="800.00")  # fmt: skip
    batch = upload(membership.allocation, finance_officer, csv_of(waiting))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    figures, _ = _figures(membership)
    assert figures.commitments == D("800.00")
