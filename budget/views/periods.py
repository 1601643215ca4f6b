"""Month-end: the periods of a year, closing one (after showing what it freezes) and
reopening one."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from havering_improve import editing, roles
from havering_improve.errors import AlreadyDone
from havering_improve.forms import GovukForm, add_service_errors
from havering_improve.fy import period_month_name

from .. import periods as budget_periods
from ..access import EDIT, MANAGE, READ, get_allocation_for_user
from ..actions import periods as period_actions
from ..forms import ReasonForm
from ..models import PeriodState
from ..selectors import budget_report, ledger_rows
from .common import base, form_page, year_url


def _month(year, period) -> str:
    return f"{period_month_name(period)} {year.period_start(period).year}"


@require_safe
@roles.programme_reader_required
def periods(request, year):
    allocation = get_allocation_for_user(request.user, year, READ)
    states = budget_periods.period_states(allocation)
    fy = allocation.financial_year
    next_period = next((p for p in range(1, 13) if not (p in states and states[p].closed)), None)
    next_problem = next_period and budget_periods.period_close_problem(
        allocation, next_period, states
    )
    rows = [
        {
            "period": p,
            "month": _month(fy, p),
            "state": states.get(p),
            "closable": p == next_period and not next_problem,
        }
        for p in range(1, 13)
    ]
    history = (
        PeriodState.history.filter(allocation_id=allocation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return render(
        request,
        "budget/periods.html",
        base(
            request,
            allocation,
            rows=rows,
            next_period=next_period,
            next_problem=next_problem,
            history=history[:50],
        ),
    )


def _period_page(request, year, period, level):
    """The allocation (if this person may act on it at `level`) and the periods page's address."""
    allocation = get_allocation_for_user(request.user, year, level)
    if not 1 <= period <= 12:
        raise Http404("There are twelve periods.")
    return allocation, year_url(allocation, "budget:periods")


@roles.programme_reader_required
def period_close(request, year, period):
    """What closing the period freezes, and a button to close it."""
    allocation, back = _period_page(request, year, period, EDIT)
    form = GovukForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            period_actions.period_close(allocation=allocation, period=period, actor=request.user)
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages) + " Nothing was changed.")
            return redirect(back)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Period {period} is closed; its actuals are frozen.")
            return redirect(back)
    elif problem := budget_periods.period_close_problem(allocation, period):
        form = GovukForm({})
        form.add_error(None, problem)
    fy = allocation.financial_year
    queue = (
        ledger_rows(allocation, up_to=period, queue=True)
        .order_by()
        .aggregate(n=Count("pk"), total=Sum("amount"))
    )
    return render(
        request,
        "budget/period_close.html",
        base(
            request,
            allocation,
            form=form,
            period=period,
            month=f"{fy.period_start(period):%B %Y}",
            next_month=f"{fy.period_start(period % 12 + 1):%B %Y}" if period < 12 else "",
            report=budget_report(allocation, as_at=period),
            queue_count=queue["n"] or 0,
            queue_total=queue["total"] or Decimal("0.00"),
            back=back,
        ),
    )


@roles.programme_reader_required
def period_reopen(request, year, period):
    allocation, back = _period_page(request, year, period, MANAGE)
    if not allocation.period_states.filter(period=period, closed=True).exists():
        messages.info(request, f"Period {period} is open already. Nothing was changed.")
        return redirect(back)

    def reopen(form):
        try:
            return period_actions.period_reopen(
                allocation=allocation,
                period=period,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AlreadyDone as exc:  # reopened by someone else meanwhile
            messages.info(request, " ".join(exc.messages) + " Nothing was changed.")
            return None

    return form_page(
        request,
        allocation,
        ReasonForm(editing.posted(request)),
        reopen,
        success=lambda state: f"Period {period} is open again." if state else None,
        title=f"Reopen period {period}",
        submit="Reopen the period",
        back=back,
        warning="Its actuals can change again until it is closed. The reason is kept.",
    )
