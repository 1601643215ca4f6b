"""The demo data: the sample extract with its rules, a queue, a forecast; idempotent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from budget.demo import demo_data_load
from budget.models import Commitment, LedgerImport, LedgerRow, MatchingRule, PeriodState
from budget.periods import period_close_problem
from budget.selectors import budget_report
from havering_improve import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@freeze_time("2026-10-05 09:00:00")
def test_the_demo_imports_the_sample_and_leaves_last_months_training_row_to_allocate(programme):
    UserFactory(username="finance.officer", roles=[roles.FINANCE_OFFICER])
    demo_data_load(programme=programme)
    demo_data_load(programme=programme)
    # The sample (April to September 2019) moved to this financial year, up to September.
    allocation = programme.allocations.get(start_year=2026)
    assert allocation.lines.count() == programme.allocations.get(start_year=2019).lines.count()
    assert LedgerImport.objects.filter(status="imported").count() == 1
    assert LedgerRow.objects.filter(active=True, allocation=allocation).count() == 111
    assert MatchingRule.objects.count() == 14
    assert Commitment.objects.count() == 2
    report = budget_report(allocation)
    # June's training rows were placed on their line before June closed; September's waits.
    assert report.unallocated_count == 1
    assert report.unallocated_total == Decimal("9800.00")
    assert report.total.actual_to_date == Decimal("189297.03")
    assert report.underspend_to_return > 0


@freeze_time("2026-12-07 09:00:00")
def test_the_months_before_last_are_closed_so_the_report_shows_the_previous_forecast(programme):
    UserFactory(username="finance.officer", roles=[roles.FINANCE_OFFICER])
    demo_data_load(programme=programme)
    demo_data_load(programme=programme)
    allocation = programme.allocations.get(start_year=2026)
    states = PeriodState.objects.filter(allocation=allocation)
    assert sorted(states.filter(closed=True).values_list("period", flat=True)) == list(range(1, 8))
    # Each closed early in the month after it; November (period 8) waits for its close.
    october = states.get(period=7)
    assert timezone.localtime(october.changed_at).date() == dt.date(2026, 11, 4)
    assert period_close_problem(allocation, 8) == ""
    report = budget_report(allocation)
    assert report.total.previous_outturn is not None
    assert all(figures.previous_outturn is not None for figures in report.lines)
    # Nothing is frozen in the queue: only November's training invoice waits.
    waiting = LedgerRow.objects.filter(
        allocation=allocation, active=True, line__isnull=True, allocations__isnull=True
    )
    assert [(row.period, row.amount) for row in waiting] == [(8, Decimal("3150.00"))]


def test_without_the_demo_finance_officer_the_demo_adds_nothing(programme):
    demo_data_load(programme=programme)
    assert not LedgerImport.objects.exists()


@freeze_time("2027-01-12 09:00:00")
def test_later_in_the_year_the_payroll_runs_on_to_the_last_month_end(programme):
    UserFactory(username="finance.officer", roles=[roles.FINANCE_OFFICER])
    demo_data_load(programme=programme)
    rows = LedgerRow.objects.filter(active=True, allocation__start_year=2026)
    assert max(rows.values_list("posting_date", flat=True)) == dt.date(2026, 12, 28)
    assert set(rows.values_list("period", flat=True)) == set(range(1, 10))


@freeze_time("2027-04-20 09:00:00")
def test_in_a_years_first_month_there_is_no_extract_yet(programme):
    UserFactory(username="finance.officer", roles=[roles.FINANCE_OFFICER])
    demo_data_load(programme=programme)
    assert programme.allocations.filter(start_year=2027).exists()
    assert not LedgerImport.objects.exists()
