"""The demo data: the sample extract with its rules, a queue, a forecast; idempotent."""

from decimal import Decimal

import pytest

from budget.demo import demo_data_load
from budget.models import Commitment, LedgerImport, LedgerRow, MatchingRule
from budget.selectors import budget_report
from havering_improve import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_imports_the_sample_and_leaves_the_training_rows_to_allocate(programme):
    UserFactory(username="finance.officer", roles=[roles.FINANCE_OFFICER])
    demo_data_load(programme=programme)
    demo_data_load(programme=programme)
    assert LedgerImport.objects.filter(status="imported").count() == 1
    assert LedgerRow.objects.filter(active=True).count() == 111
    assert MatchingRule.objects.count() == 14
    assert Commitment.objects.count() == 2
    report = budget_report(programme.allocations.get(start_year=2019))
    assert report.unallocated_count == 3
    assert report.total.actual_to_date == Decimal("179297.03")
    assert report.underspend_to_return > 0


def test_without_the_demo_finance_officer_the_demo_adds_nothing(programme):
    demo_data_load(programme=programme)
    assert not LedgerImport.objects.exists()
