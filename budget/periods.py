"""Month-end periods as they stand: a period closes once its month has ended, after every
earlier one, freezing its actuals and keeping each line's forecast as next month's "previous
forecast"; only the programme manager reopens one, with a reason.

The allocation's row lock stands for the state of its periods (`lock_periods`): closing and
reopening (`budget.actions.periods`) take it, and so does every write of actuals that checks
closed periods (an import's confirmation or reversal, an allocation from the queue), so they
take turns."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import BudgetAllocation, PeriodState


def lock_periods(allocation) -> None:
    """Take the allocation's row lock, which stands for the state of its periods, until the
    transaction ends. Closing a period, and every write of actuals that checks closed periods
    (import confirm, reversal, allocation), takes it first and reads the closed periods after,
    so a close and an import never interleave: the import waits and then sees the close."""
    list(BudgetAllocation.objects.select_for_update().filter(pk=allocation.pk).values_list("pk"))


def period_states(allocation) -> dict[int, PeriodState]:
    return {s.period: s for s in PeriodState.objects.filter(allocation=allocation)}


def period_close_problem(allocation, period: int, states: dict | None = None) -> str:
    """Why the period cannot be closed now, or "": periods close in order (every earlier one
    closed first), each once its month has ended."""
    year = allocation.financial_year
    states = period_states(allocation) if states is None else states
    if period in states and states[period].closed:
        return f"Period {period} is already closed."
    still_open = [p for p in range(1, period) if not (p in states and states[p].closed)]
    if still_open:
        first = still_open[0]
        return (
            f"Close period {first} ({year.period_start(first):%B %Y}) first. Periods close in "
            f"order: every period before period {period} must be closed before it."
        )
    month_end = year.period_end(period)
    if timezone.localdate() <= month_end:
        day = month_end + dt.timedelta(days=1)
        return (
            f"Period {period} ({month_end:%B %Y}) can be closed from {day:%-d %B %Y}, "
            "once its month has ended."
        )
    return ""
