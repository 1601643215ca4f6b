"""A whole file dated in another financial year is one problem, not one a row: the import says
which year its rows are in and offers to import it there."""

import pytest

from budget.actions import allocations as allocation_actions
from budget.models import LedgerImport
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_year(set_up, finance_officer):
    """2020/21, carried forward from 2019/20: the year a 2019/20 extract is not for."""
    return allocation_actions.allocation_carry_forward(allocation=set_up, actor=finance_officer)


def _extract(n=12):
    return csv_of(
        *[row(ref=f"AP{i:03d}", date="15/05/2019", period="2", amount="10.00") for i in range(n)]
    )


def test_a_whole_file_from_another_year_is_one_problem_offering_that_year(
    next_year, finance_officer, client
):
    batch = upload(next_year, finance_officer, _extract(12))
    assert batch.status == LedgerImport.Status.REJECTED
    assert [p["message"] for p in batch.errors] == [
        "All 12 rows are dated 2019/20: import into 2019/20?"
    ]
    client.force_login(finance_officer)
    page = client.get(f"/budget/2020-21/imports/{batch.pk}/").content.decode()
    assert "1 problem found" in page
    assert "All 12 rows are dated 2019/20: import into 2019/20?" in page
    assert 'href="/budget/2019-20/imports/"' in page
    assert "Import it into 2019/20" in page


def test_a_file_with_only_some_rows_in_another_year_lists_each_of_them(next_year, finance_officer):
    rows = [row(ref="AP1", date="15/05/2020", period="2"), row(ref="AP2", date="15/05/2019")]
    batch = upload(next_year, finance_officer, csv_of(*rows))
    assert [p["message"] for p in batch.errors] == ["15/05/2019 is outside financial year 2020/21."]


def test_a_whole_file_from_a_year_with_no_budget_says_so(next_year, finance_officer, client):
    rows = [row(ref=f"AP{i}", date="15/05/2022", period="2") for i in range(3)]
    batch = upload(next_year, finance_officer, csv_of(*rows))
    assert [p["message"] for p in batch.errors] == [
        "All 3 rows are dated 2022/23, and the programme has no budget for 2022/23."
    ]
