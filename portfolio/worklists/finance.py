"""The finance officer's home: rows waiting in the queue, the next period to close, the last
ledger import and the lines whose forecast strays from their budget."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from budget import periods as budget_periods
from budget.models import BudgetAllocation, LedgerImport, LedgerRow
from budget.selectors import cached_budget_report
from havering_improve.fy import FinancialYear

from .items import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    RED,
    Task,
    WorkList,
    as_day,
    plural,
)

# --- Finance officer --------------------------------------------------------------------------


def finance_lists(programme, *, on: dt.date) -> list[WorkList]:
    today_fy = FinancialYear.for_date(on)
    allocations = list(BudgetAllocation.objects.filter(programme=programme).order_by("start_year"))
    past = [a for a in allocations if a.start_year <= today_fy.start_year]
    allocation = past[-1] if past else (allocations[0] if allocations else None)
    work = WorkList("finance", "Finance", empty="No budget has been allocated yet.")
    if allocation is None:
        return [work]
    fy = allocation.financial_year
    year = fy.slug
    queue = LedgerRow.objects.filter(
        allocation=allocation, active=True, line__isnull=True, allocations__isnull=True
    )
    queued = dict(queue.values_list("period").annotate(n=Count("pk")).order_by())
    waiting = sum(queued.values())
    if waiting:
        work.tasks.append(
            Task(
                "Allocate the rows waiting in the queue",
                reverse("budget:queue", kwargs={"year": year}),
                f"{plural(waiting, 'ledger row')} matched no budget line",
                "Waiting",
                ORANGE,
            )
        )
    states = budget_periods.period_states(allocation)
    open_periods = [p for p in range(1, 13) if not (p in states and states[p].closed)]
    if open_periods:
        p = open_periods[0]
        month = fy.period_start(p)
        problem = budget_periods.period_close_problem(allocation, p, states)
        if problem:
            hint, status, colour = problem, "Not yet", GREY
        elif queued.get(p):
            hint = f"First allocate its {plural(queued[p], 'queued row')}"
            status, colour = "Rows still queued", ORANGE
        else:
            hint, status, colour = "Its month has ended and its rows are allocated", "Ready", BLUE
        work.tasks.append(
            Task(
                f"Close period {p} ({month:%B %Y})",
                reverse("budget:periods", kwargs={"year": year}),
                hint,
                status,
                colour,
            )
        )
    # The last import that happened: the last file confirmed into the ledger (reversed since,
    # or not), never a preview that was cancelled or refused.
    last = (
        LedgerImport.objects.filter(allocation=allocation, confirmed_at__isnull=False)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if last is not None:
        person = last.confirmed_by
        who = (person.get_full_name() or person.get_username()) if person else "the system"
        when = timezone.localtime(last.confirmed_at).date()
        work.tasks.append(
            Task(
                f"Last import: {last.original_name}",
                reverse("budget:import", kwargs={"year": year, "pk": last.pk}),
                f"Imported {as_day(when)} by {who}: "
                f"{plural(last.rows_imported, 'row')}, £{last.total_imported:,.2f}",
                last.get_status_display(),
                GREEN if last.status == LedgerImport.Status.IMPORTED else GREY,
            )
        )
    report = cached_budget_report(allocation)
    for line in report.lines:
        if line.rag in ("amber", "red") and line.line is not None:
            percent = line.forecast_variance_percent
            work.tasks.append(
                Task(
                    f"Forecast variance: {line.title}",
                    reverse("budget:line", kwargs={"year": year, "code": line.line.code}),
                    f"Forecast outturn £{line.latest_outturn:,.0f} against a budget of "
                    f"£{line.latest:,.0f}" + (f" ({percent:+}%)" if percent is not None else ""),
                    line.rag.capitalize(),
                    RED if line.rag == "red" else ORANGE,
                )
            )
    return [work]
