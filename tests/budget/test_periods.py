"""Closing a period freezes its actuals; only the programme manager reopens one, with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budget import services
from budget.models import ForecastSnapshot, PeriodState
from budget.selectors import budget_report

pytestmark = pytest.mark.django_db


def test_closing_a_period_keeps_the_forecast_as_the_previous_forecast(
    imported_sample, finance_officer
):
    allocation = imported_sample.allocation
    assert budget_report(allocation).total.previous_outturn is None
    services.period_close(allocation=allocation, period=6, user=finance_officer)
    report = budget_report(allocation)
    assert ForecastSnapshot.objects.count() == len(report.lines)
    assert report.total.previous_outturn == report.total.latest_outturn
    assert report.closed == {6}


def test_a_closed_period_cannot_be_closed_again(set_up, finance_officer):
    services.period_close(allocation=set_up, period=1, user=finance_officer)
    with pytest.raises(ValidationError, match="already closed"):
        services.period_close(allocation=set_up, period=1, user=finance_officer)


def test_the_programme_manager_reopens_a_period_with_a_reason(
    set_up, finance_officer, programme_manager
):
    services.period_close(allocation=set_up, period=1, user=finance_officer)
    with pytest.raises(ValidationError):
        services.period_reopen(allocation=set_up, period=1, user=programme_manager, reason="")
    services.period_reopen(
        allocation=set_up, period=1, user=programme_manager, reason="Late payroll correction"
    )
    state = PeriodState.objects.get(allocation=set_up, period=1)
    assert not state.closed
    assert state.history.first().history_change_reason == "Reopened: Late payroll correction"
    assert state.history.first().history_user == programme_manager


def test_a_finance_officer_cannot_reopen_a_period(set_up, finance_officer):
    services.period_close(allocation=set_up, period=1, user=finance_officer)
    with pytest.raises(PermissionDenied):
        services.period_reopen(allocation=set_up, period=1, user=finance_officer, reason="x")
