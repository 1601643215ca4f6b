"""The allocation queue and the matching rules: placing a ledger row the rules did not match
on one or more lines, and the rules that place rows at import (or, applied to the queue, rows
already waiting).

Each is an action (`havering_improve.actions`): atomic, permission-checked, keyword-only, every
field named, and in the history with who made it. Every line named must be in the year's budget
of the row or rule."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from havering_improve.actions import action

from ..matching import rule_queue_matches
from ..models import BudgetAllocation, BudgetLine, LedgerRow, MatchingRule, RowAllocation
from ..periods import lock_periods
from ..selectors import closed_periods


@action("can_edit_budget")
def row_allocate(
    *, row: LedgerRow, splits: list[tuple[BudgetLine, Decimal]], actor, save_rule: str = ""
) -> list[RowAllocation]:
    """Place an unmatched row on one or more lines; the shares must add up to the row.
    `save_rule` ("post", "coding" or "coding-text") remembers a one-line allocation as a rule."""
    with transaction.atomic():
        row = LedgerRow.objects.select_for_update().select_related("allocation").get(pk=row.pk)
        if not row.active or row.line_id or row.allocations.exists():
            raise ValidationError("This row is not waiting to be allocated.")
        lock_periods(row.allocation)
        if row.period in closed_periods(row.allocation):
            raise ValidationError(
                f"Period {row.period} is closed; its actuals are frozen. Ask the programme "
                "manager to reopen it."
            )
        splits = [(line, amount) for line, amount in splits if amount]
        if not splits:
            raise ValidationError("Choose a budget line and an amount.")
        if any(line.allocation_id != row.allocation_id for line, _ in splits):
            raise ValidationError("Every line must belong to the same year as the row.")
        allocated = sum((amount for _, amount in splits), Decimal("0.00"))
        if allocated != row.amount:
            raise ValidationError(
                f"The shares add up to £{allocated:,.2f} but the row is £{row.amount:,.2f}."
            )
        created = []
        for line, amount in splits:
            share = RowAllocation(row=row, line=line, amount=amount, allocated_by=actor)
            share.save()
            created.append(share)
        if save_rule:
            if len(splits) != 1:
                raise ValidationError("Only a row placed on one line can become a rule.")
            rule_save.within(
                allocation=row.allocation,
                actor=actor,
                line=splits[0][0],
                kind="post" if save_rule == "post" else "coding",
                post_number=row.post_number,
                cost_centre=row.cost_centre,
                subjective=row.subjective,
                description_contains=row.description if save_rule == "coding-text" else "",
            )
    return created


@action("can_edit_budget")
def rule_save(
    *,
    allocation: BudgetAllocation,
    actor,
    line: BudgetLine,
    kind: str,
    post_number: str = "",
    cost_centre: str = "",
    subjective: str = "",
    description_contains: str = "",
) -> MatchingRule:
    """A rule that places the rows with a post number, or a cost centre and subjective (and
    some description text), on a line of the year's budget."""
    if line.allocation_id != allocation.pk:
        raise ValidationError({"line": "Choose a line of this year's budget."})
    if kind == MatchingRule.Kind.POST:
        if not post_number.strip():
            raise ValidationError({"post_number": "Enter the post number."})
        if MatchingRule.objects.filter(
            allocation=allocation, kind=kind, post_number__iexact=post_number.strip()
        ).exists():
            raise ValidationError({"post_number": f"Post {post_number} already has a rule."})
        values = {"post_number": post_number.strip().upper()}
    else:
        if not cost_centre.strip() or not subjective.strip():
            raise ValidationError("Enter the cost centre and the subjective.")
        values = {
            "cost_centre": cost_centre.strip().upper(),
            "subjective": subjective.strip(),
            "description_contains": description_contains.strip(),
        }
        if MatchingRule.objects.filter(allocation=allocation, kind=kind, **values).exists():
            raise ValidationError("There is already a rule for that coding.")
    rule = MatchingRule(allocation=allocation, kind=kind, line=line, **values)
    rule.save()
    return rule


@action("can_edit_budget")
def rule_apply_to_queue(*, rule: MatchingRule, actor) -> list[LedgerRow]:
    """Place the queued rows a new rule matches on its line, as if allocated by hand (the rows
    themselves are never edited). All or nothing."""
    rows = rule_queue_matches(rule)
    for row in rows:
        row_allocate.within(row=row, splits=[(rule.line, row.amount)], actor=actor)
    return rows


@action("can_edit_budget")
def rule_delete(*, rule: MatchingRule, actor) -> None:
    rule.delete()
