"""Month-end: closing a period freezes its actuals and keeps each line's forecast as next
month's "previous forecast"; only the programme manager reopens one, with a reason. Both are
actions (`havering_improve.actions`), and both take the year's lock on its periods
(`budget.periods.lock_periods`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from havering_improve.actions import action
from havering_improve.errors import AlreadyDone

from ..models import BudgetAllocation, ForecastSnapshot, PeriodState, with_reason
from ..periods import lock_periods, period_close_problem, period_states
from ..selectors import budget_report


@action("can_edit_budget")
def period_close(*, allocation: BudgetAllocation, period: int, actor) -> PeriodState:
    """Freeze a period's actuals and keep each line's forecast as it stands, which becomes the
    report's 'previous forecast'. Periods close in order, each once its month has ended.
    Closing a closed period (a double click, or two people at once) raises AlreadyDone."""
    if not 1 <= period <= 12:
        raise ValidationError("Choose a period from 1 to 12.")
    already = AlreadyDone(f"Period {period} is already closed.")
    with transaction.atomic():
        lock_periods(allocation)
        states = period_states(allocation)
        if period in states and states[period].closed:
            raise already
        problem = period_close_problem(allocation, period, states)
        if problem:
            raise ValidationError(problem)
        state = states.get(period) or PeriodState(allocation=allocation, period=period)
        state.closed = True
        state.changed_by = actor
        state.reason = ""
        try:
            with transaction.atomic():
                with_reason(state, "Closed").save()
        except IntegrityError:  # closed by someone else since it was read: theirs stands
            raise already from None
        report = budget_report(allocation, as_at=period)
        for line in report.lines:
            snap = ForecastSnapshot(line=line.line, period=period, outturn=line.latest_outturn)
            snap.save()
    return state


@action("is_programme_manager")
def period_reopen(*, allocation: BudgetAllocation, period: int, actor, reason: str) -> PeriodState:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the period is being reopened."})
    with transaction.atomic():
        lock_periods(allocation)
        state = (
            PeriodState.objects.select_for_update()
            .filter(allocation=allocation, period=period, closed=True)
            .first()
        )
        if state is None:
            raise AlreadyDone(f"Period {period} is open already.")
        state.closed = False
        state.changed_by = actor
        state.reason = reason
        with_reason(state, f"Reopened: {reason}").save()
    return state
