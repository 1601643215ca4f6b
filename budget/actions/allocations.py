"""Changes to a year's budget as a whole: its settings (cost centres and RAG thresholds),
virements between its lines, and carrying its lines forward into a new year.

Each is an action (`havering_improve.actions`): atomic, permission-checked, keyword-only, every
field named, and in the history with who made it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from havering_improve.actions import action, save_current

from ..models import (
    AllocationSettings,
    BudgetAllocation,
    BudgetLine,
    MatchingRule,
    Post,
    Virement,
)
from ..selectors import allocation_settings, latest_budget


@action("can_edit_budget")
def allocation_settings_update(
    *,
    allocation: BudgetAllocation,
    actor,
    version: int | None = None,
    cost_centres: str | None = None,
    amber_percent: Decimal | None = None,
    red_percent: Decimal | None = None,
) -> AllocationSettings:
    """Change the year's settings from the `version` its form was opened at; a setting left
    None stays as it is (the action's transaction undoes the save if the thresholds are the
    wrong way round)."""
    given = {"cost_centres": cost_centres, "amber_percent": amber_percent}
    given["red_percent"] = red_percent
    fields = {name: value for name, value in given.items() if value is not None}
    obj = save_current(allocation_settings(allocation), version, fields, exclude=["allocation"])
    if obj.red_percent < obj.amber_percent:
        raise ValidationError({"red_percent": "Red must be at or above amber."})
    allocation.settings = obj
    return obj


@action("can_edit_budget")
def virement_record(
    *,
    allocation: BudgetAllocation,
    from_line: BudgetLine,
    to_line: BudgetLine,
    amount: Decimal,
    reason: str,
    approved_by: str,
    approved_on: dt.date,
    actor,
) -> Virement:
    """Move budget from one line of the year to another, with the reason and who approved it."""
    if from_line == to_line:
        raise ValidationError("Choose two different lines.")
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0."})
    if {from_line.allocation_id, to_line.allocation_id} != {allocation.pk}:
        raise ValidationError("Both lines must be in this year's budget.")
    if not reason.strip() or not approved_by.strip():
        raise ValidationError("Enter the reason and who approved it.")
    virement = Virement(
        allocation=allocation,
        from_line=from_line,
        to_line=to_line,
        amount=amount,
        reason=reason.strip(),
        approved_by=approved_by.strip(),
        approved_on=approved_on,
        recorded_by=actor,
    )
    virement.full_clean(exclude=["allocation", "from_line", "to_line", "recorded_by"])
    with transaction.atomic():
        # The line is locked, so two virements out of it at once cannot both spend its budget.
        line = BudgetLine.objects.select_for_update().get(pk=from_line.pk)
        available = latest_budget(line)
        if amount > available:
            raise ValidationError(
                {
                    "amount": f"{line.title} has £{available:,.2f} of budget: a virement cannot "
                    "take a line below £0."
                }
            )
        virement.save()
    return virement


@action("can_edit_budget")
def allocation_carry_forward(
    *,
    allocation: BudgetAllocation,
    actor,
    amounts: dict[int, Decimal] | None = None,
    start_year: int | None = None,
) -> BudgetAllocation:
    """Start the next financial year (or a later one) with the same lines (and their themes,
    posts and rules), for when the service funds them again. `amounts`: a line's new amount,
    by the line's id (a line of this year's budget; the others keep their amount)."""
    next_year = start_year or allocation.start_year + 1
    # One carry forward at a time in a programme: a second, pressed at the same moment, waits
    # for the first and then finds next year's budget started.
    programme_allocations = BudgetAllocation.objects.filter(programme_id=allocation.programme_id)
    list(programme_allocations.select_for_update().values_list("pk"))
    if BudgetAllocation.objects.filter(
        programme=allocation.programme, start_year=next_year
    ).exists():
        raise ValidationError(f"There is already a budget for {next_year}/{(next_year + 1) % 100}.")
    amounts = amounts or {}
    with transaction.atomic():
        lines = list(allocation.lines.prefetch_related("themes", "posts", "rules"))
        if set(amounts) - {line.pk for line in lines}:
            raise ValidationError("Give new amounts only for this year's lines.")
        total = sum((amounts.get(line.pk, line.amount) for line in lines), Decimal("0.00"))
        new = _carried(
            allocation,
            start_year=next_year,
            amount=total,
            notes=f"Carried forward from {allocation.financial_year.label}.",
        )
        _carried(allocation_settings(allocation), allocation=new)
        for line in lines:
            copy = _carried(line, allocation=new, amount=amounts.get(line.pk, line.amount))
            copy.themes.set(line.themes.all())
            for post in line.posts.all():
                _carried(post, line=copy)
            for rule in line.rules.all():
                _carried(rule, allocation=new, line=copy)
    return new


# What carrying the lines forward copies of each record; the rest is the new year's own.
CARRIED = {
    BudgetAllocation: ("programme", "funding_source", "kind"),
    AllocationSettings: ("cost_centres", "amber_percent", "red_percent"),
    BudgetLine: ("order", "code", "title", "description"),
    Post: ("post_number", "title", "annual_cost", "status", "start_date"),
    MatchingRule: ("kind", "post_number", "cost_centre", "subjective", "description_contains"),
}


def _carried(obj, **changes):
    """A new record like `obj` (its CARRIED values, and `changes`), saved."""
    copy = type(obj)(**{name: getattr(obj, name) for name in CARRIED[type(obj)]}, **changes)
    copy.save()
    return copy
