"""The finance officer's home names the last import that happened: the last file confirmed into
the ledger, not a preview someone cancelled since."""

import pytest

from budget.actions import imports as import_actions
from budget.demo import demo_setup
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


def test_the_last_import_is_the_last_confirmed_not_a_cancelled_preview(
    client, finance_officer, programme
):
    allocation = programme.allocations.get(start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    rows = [row(ref=f"AP{i}", subjective="4010", amount="100.00") for i in range(3)]
    batch = upload(allocation, finance_officer, csv_of(*rows), name="may-extract.csv")
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    # The same rows again: nothing new, so the officer cancels it.
    again = upload(allocation, finance_officer, csv_of(*rows), name="may-extract-again.csv")
    import_actions.ledger_import_cancel(batch=again, actor=finance_officer)

    client.force_login(finance_officer)
    html = client.get("/").content.decode()
    assert "Last import: may-extract.csv" in html
    assert "may-extract-again.csv" not in html
    assert "3 rows, £300.00" in html
    assert f'href="/budget/2019-20/imports/{batch.pk}/"' in html
