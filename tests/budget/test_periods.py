"""Closing a period freezes its actuals: periods close in order, each once its month has ended,
after a page that says what will be frozen. Only the programme manager reopens one, with a
reason, and every close and reopen stays in the history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from budget import imports, periods
from budget.actions import imports as import_actions
from budget.actions import periods as period_actions
from budget.models import ForecastSnapshot, PeriodState
from budget.selectors import budget_report
from havering_improve.errors import AlreadyDone
from tests.budget.conftest import close_periods, csv_of, row, upload

pytestmark = pytest.mark.django_db

Y = "/budget/2019-20"


def test_closing_a_period_keeps_the_forecast_as_the_previous_forecast(
    imported_sample, finance_officer
):
    allocation = imported_sample.allocation
    assert budget_report(allocation).total.previous_outturn is None
    close_periods(allocation, finance_officer, 6)
    report = budget_report(allocation)
    assert ForecastSnapshot.objects.filter(period=6).count() == len(report.lines)
    assert report.total.previous_outturn == report.total.latest_outturn
    assert report.closed == {1, 2, 3, 4, 5, 6}


def test_a_period_closes_only_after_every_earlier_period(imported_sample, finance_officer):
    allocation = imported_sample.allocation
    before = budget_report(allocation)
    with pytest.raises(ValidationError, match=r"Close period 1 \(April 2019\) first"):
        period_actions.period_close(allocation=allocation, period=12, actor=finance_officer)
    close_periods(allocation, finance_officer, 2)
    with pytest.raises(ValidationError, match=r"Close period 3 \(June 2019\) first"):
        period_actions.period_close(allocation=allocation, period=4, actor=finance_officer)
    assert not PeriodState.objects.filter(period__in=[4, 12]).exists()
    assert not ForecastSnapshot.objects.filter(period__in=[4, 12]).exists()
    after = budget_report(allocation)
    assert after.as_at == before.as_at == 6
    assert after.underspend_to_return == before.underspend_to_return


def test_a_period_closes_only_once_its_month_has_ended(set_up, finance_officer):
    close_periods(set_up, finance_officer, 5)
    with freeze_time("2019-09-30 12:00"):
        with pytest.raises(
            ValidationError,
            match=r"Period 6 \(September 2019\) can be closed from 1 October 2019",
        ):
            period_actions.period_close(allocation=set_up, period=6, actor=finance_officer)
    assert not PeriodState.objects.filter(period=6).exists()
    with freeze_time("2019-10-01 09:00"):
        period_actions.period_close(allocation=set_up, period=6, actor=finance_officer)
    assert PeriodState.objects.get(period=6).closed


def test_closing_a_closed_period_again_changes_nothing(set_up, finance_officer):
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    with pytest.raises(AlreadyDone, match="Period 1 is already closed"):
        period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    assert ForecastSnapshot.objects.filter(period=1).count() == set_up.lines.count()
    assert PeriodState.objects.get(period=1).history.count() == 1


def test_a_close_that_loses_the_race_to_insert_is_told_the_period_is_closed(
    set_up, finance_officer, monkeypatch
):
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    # A second close that read the periods before the first one's row was there.
    monkeypatch.setattr(periods, "period_states", lambda allocation: {})
    with pytest.raises(AlreadyDone, match="Period 1 is already closed"):
        period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    assert ForecastSnapshot.objects.filter(period=1).count() == set_up.lines.count()


def test_the_programme_manager_reopens_a_period_with_a_reason(
    set_up, finance_officer, programme_manager
):
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    with pytest.raises(ValidationError):
        period_actions.period_reopen(
            allocation=set_up, period=1, actor=programme_manager, reason=""
        )
    period_actions.period_reopen(
        allocation=set_up, period=1, actor=programme_manager, reason="Late payroll correction"
    )
    state = PeriodState.objects.get(allocation=set_up, period=1)
    assert not state.closed
    assert state.history.first().history_change_reason == "Reopened: Late payroll correction"
    assert state.history.first().history_user == programme_manager
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    assert [h.history_change_reason for h in state.history.order_by("history_id")] == [
        "Closed",
        "Reopened: Late payroll correction",
        "Closed",
    ]


def test_a_double_click_on_reopen_reopens_once_and_says_so(
    set_up, client, finance_officer, programme_manager
):
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    client.force_login(programme_manager)
    url = f"{Y}/periods/1/reopen/"
    first = client.post(url, {"reason": "Late payroll correction"})
    second = client.post(url, {"reason": "Late payroll correction"}, follow=True)
    assert first.status_code == 302
    assert "Period 1 is open already. Nothing was changed." in second.content.decode()
    assert PeriodState.objects.get(period=1).history.count() == 2  # closed, reopened
    with pytest.raises(AlreadyDone, match="Period 1 is open already"):
        period_actions.period_reopen(
            allocation=set_up, period=1, actor=programme_manager, reason="x"
        )


def test_a_finance_officer_cannot_reopen_a_period(set_up, finance_officer):
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    with pytest.raises(PermissionDenied):
        period_actions.period_reopen(allocation=set_up, period=1, actor=finance_officer, reason="x")


# --- in the browser's terms ------------------------------------------------------------------


def test_the_periods_page_offers_to_close_only_the_next_period(
    imported_sample, client, finance_officer
):
    close_periods(imported_sample.allocation, finance_officer, 2)
    client.force_login(finance_officer)
    html = client.get(f"{Y}/periods/").content.decode()
    assert "Periods close in order, each once its month has ended" in html
    assert "The next period to close is period 3." in html
    assert f'href="{Y}/periods/3/close/"' in html
    assert f"{Y}/periods/4/close/" not in html


def test_the_close_page_says_what_will_be_frozen_before_anything_is(
    imported_sample, client, finance_officer
):
    allocation = imported_sample.allocation
    close_periods(allocation, finance_officer, 5)
    expected = budget_report(allocation, as_at=6)
    client.force_login(finance_officer)
    html = client.get(f"{Y}/periods/6/close/").content.decode()
    assert "Close period 6 (September 2019)?" in html
    actual = expected.total.actual_to_date
    assert actual + expected.unallocated_total == Decimal("199097.03")  # the whole extract
    assert f"the actuals to the end of September 2019, £{actual:,.2f} in all" in html
    assert f"£{expected.total.latest_outturn:,.2f} in all, which the report shows from " in html
    assert "October 2019 as the previous forecast" in html
    project_manager = next(f for f in expected.lines if f.line.code == "project-manager")
    assert f"£{project_manager.latest_outturn:,.2f}" in html
    assert "waiting for allocation" in html  # the sample's training rows are not placed yet
    assert not PeriodState.objects.filter(period=6).exists()

    response = client.post(f"{Y}/periods/6/close/", follow=True)
    assert "Period 6 is closed; its actuals are frozen." in response.content.decode()
    assert budget_report(allocation).total.previous_outturn == expected.total.latest_outturn


def test_the_close_page_refuses_a_period_out_of_order_and_says_which_comes_first(
    imported_sample, client, finance_officer
):
    client.force_login(finance_officer)
    html = client.get(f"{Y}/periods/12/close/").content.decode()
    assert "govuk-error-summary" in html
    assert "Close period 1 (April 2019) first." in html
    assert "Close period 12</button>" not in html
    response = client.post(f"{Y}/periods/12/close/")
    assert response.status_code == 200
    assert "Close period 1 (April 2019) first." in response.content.decode()
    assert not PeriodState.objects.exists()


def test_a_double_click_on_close_closes_once_and_says_so(set_up, client, finance_officer):
    client.force_login(finance_officer)
    first = client.post(f"{Y}/periods/1/close/")
    second = client.post(f"{Y}/periods/1/close/", follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Period 1 is already closed. Nothing was changed." in second.content.decode()
    assert ForecastSnapshot.objects.filter(period=1).count() == set_up.lines.count()


def test_a_close_losing_the_race_to_insert_gets_a_message_not_an_error(
    set_up, client, finance_officer, monkeypatch
):
    client.force_login(finance_officer)
    client.post(f"{Y}/periods/1/close/")
    monkeypatch.setattr(periods, "period_states", lambda allocation: {})
    response = client.post(f"{Y}/periods/1/close/", follow=True)
    assert response.status_code == 200
    assert "Period 1 is already closed. Nothing was changed." in response.content.decode()


def test_the_periods_page_keeps_the_history_of_closing_and_reopening(
    set_up, client, finance_officer, programme_manager
):
    period_actions.period_close(allocation=set_up, period=1, actor=finance_officer)
    period_actions.period_reopen(
        allocation=set_up, period=1, actor=programme_manager, reason="Late payroll correction"
    )
    client.force_login(finance_officer)
    html = client.get(f"{Y}/periods/").content.decode()
    assert "Reopened: Late payroll correction" in html
    assert html.count('<td data-label="What" class="govuk-table__cell">Closed</td>') == 1


def test_an_import_after_a_close_is_refused_for_the_closed_periods(set_up, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row(amount="60000.00")))
    close_periods(set_up, finance_officer, 2)
    with pytest.raises(imports.ImportRefused, match="Period 2 is closed"):
        import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    assert budget_report(set_up).total.actual_to_date == Decimal("0.00")
