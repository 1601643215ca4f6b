"""A matching rule saved while allocating a row is offered at once for the other rows waiting
that it matches: their count and total, and a link to apply it to them."""

import pytest

from budget.actions import imports as import_actions
from budget.models import LedgerRow, MatchingRule
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(set_up, finance_officer):
    rows = [
        row(ref="TR1", subjective="4800", description="Course A", amount="1,000.00"),
        row(ref="TR2", subjective="4800", description="Course B", amount="2,500.00"),
        row(ref="TR3", subjective="4800", description="Course C", amount="710.00"),
        row(ref="OTHER", subjective="9999", description="Something else", amount="5.00"),
    ]
    batch = upload(set_up, finance_officer, csv_of(*rows))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    return set_up


def _allocate(client, allocation, reference, save_rule):
    queued_row = LedgerRow.objects.get(reference=reference)
    line = allocation.lines.order_by("order").first()
    return client.post(
        f"/budget/2019-20/queue/{queued_row.pk}/",
        {"line_1": line.pk, "amount_1": queued_row.amount, "save_rule": save_rule},
        follow=True,
    )


def test_a_rule_saved_while_allocating_is_offered_for_the_other_rows_it_matches(
    queued, client, finance_officer
):
    client.force_login(finance_officer)
    response = _allocate(client, queued, "TR1", "coding")
    page = response.content.decode()
    assert "TR1 allocated." in page
    rule = MatchingRule.objects.get(allocation=queued, subjective="4800")
    assert "This rule matches 2 other rows waiting, £3,210.00" in page
    link = f'href="/budget/2019-20/rules/{rule.pk}/apply/"'
    assert link in page
    assert ">apply it to them</a>" in page
    # The link leads to the page that lists those rows and applies the rule on confirmation.
    apply_page = client.get(f"/budget/2019-20/rules/{rule.pk}/apply/").content.decode()
    assert "TR2" in apply_page and "TR3" in apply_page and "OTHER" not in apply_page


def test_no_offer_when_the_rule_matches_no_other_row_or_no_rule_was_saved(
    queued, client, finance_officer
):
    client.force_login(finance_officer)
    assert "This rule matches" not in _allocate(client, queued, "OTHER", "coding").content.decode()
    assert "This rule matches" not in _allocate(client, queued, "TR1", "").content.decode()
