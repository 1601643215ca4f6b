"""Changes to a year's budget: its settings, the allocation queue and the matching rules,
virements, a line's monthly profile and forecast, posts, commitments and theme weights, and
carrying the lines forward into a new year. (Ledger imports are in `budget.imports`, month-end
periods in `budget.periods`.)

Each is an action (`havering_improve.actions`), so atomic, permission-checked, keyword-only and in
the history with who made it. A post, a commitment and a line's monthly profile carry the version
their form was opened at (StaleEdit if it moved on)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from havering_improve.actions import (
    StaleEdit,
    action,
    lock_current,
    rows_changed,
    save_current,
)
from themes.selectors import theme_labels

from .models import (
    AllocationSettings,
    BudgetAllocation,
    BudgetLine,
    Commitment,
    LedgerRow,
    LineMonth,
    MatchingRule,
    Post,
    RowAllocation,
    ThemeWeight,
    Virement,
)
from .periods import lock_periods
from .selectors import (
    allocation_settings,
    closed_periods,
    latest_budget,
    rule_queue_matches,
)


@action("can_edit_budget")
def allocation_settings_update(
    *, allocation, actor, version: int | None = None, **fields
) -> AllocationSettings:
    """Change the year's settings from the `version` its form was opened at (the action's
    transaction undoes the save if the thresholds are the wrong way round)."""
    obj = save_current(allocation_settings(allocation), version, fields, exclude=["allocation"])
    if obj.red_percent < obj.amber_percent:
        raise ValidationError({"red_percent": "Red must be at or above amber."})
    allocation.settings = obj
    return obj


# --- allocation queue --------------------------------------------------------------------


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
    allocation,
    actor,
    line,
    kind,
    post_number="",
    cost_centre="",
    subjective="",
    description_contains="",
) -> MatchingRule:
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


# --- budget, forecasts, commitments, posts -----------------------------------------------


@action("can_edit_budget")
def virement_record(
    *, allocation, from_line, to_line, amount: Decimal, reason, approved_by, approved_on, actor
) -> Virement:
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
def line_months_update(
    *,
    line,
    actor,
    version: int,
    profile: dict[int, Decimal],
    forecast: dict[int, Decimal | None],
) -> None:
    """Set a line's monthly budget profile and any hand forecasts. The profile must add up to
    the line's latest budget, so budget-to-date never drifts from the budget. `version` is the
    line's version when the form was opened: if someone saved the months since, StaleEdit lists
    the months they changed."""
    current = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if current.version != version:
        raise _months_changed(current, version)
    current.version += 1
    current.save(update_fields=["version"])
    budget = latest_budget(line)
    total = sum(profile.values(), Decimal("0.00"))
    if total != budget:
        raise ValidationError(
            f"The profile adds up to £{total:,.2f}; it must equal the line's budget £{budget:,.2f}."
        )
    with transaction.atomic():
        existing = {m.period: m for m in LineMonth.objects.filter(line=line)}
        for period in range(1, 13):
            month = existing.get(period) or LineMonth(line=line, period=period)
            new_profile = profile.get(period, Decimal("0.00"))
            new_forecast = forecast.get(period)
            if month.pk and month.profile == new_profile and month.forecast == new_forecast:
                continue
            month.profile = new_profile
            month.forecast = new_forecast
            month.save()


def _months_changed(line, version: int) -> StaleEdit:
    """What changed in a line's months since the line was at `version`."""
    seen = line.history.filter(version=version).order_by("-history_date").first()
    latest = line.history.order_by("-history_date").select_related("history_user").first()
    since = seen.history_date if seen else None
    before: dict[int, object] = {}
    earlier = LineMonth.history.filter(line_id=line.pk, history_date__lte=since) if since else ()
    for old in earlier.order_by("history_date") if since else ():
        before[old.period] = old if old.history_type != "-" else None
    changes = []
    for month in LineMonth.objects.filter(line=line).order_by("period"):
        old = before.get(month.period)
        for name, label in (("profile", "Budget profile"), ("forecast", "Forecast by hand")):
            was, now = getattr(old, name, None), getattr(month, name)
            if was != now:
                changes.append(
                    {
                        "field": f"{label}, period {month.period}",
                        "before": "(blank)" if was is None else f"£{was:,.2f}",
                        "after": "(blank)" if now is None else f"£{now:,.2f}",
                    }
                )
    return StaleEdit(
        line,
        changes,
        changed_by=latest.history_user if latest else None,
        changed_at=latest.history_date if latest else None,
    )


@action("can_edit_budget")
def commitment_record(*, actor, commitment: Commitment, version: int | None = None) -> Commitment:
    """Add a commitment, or save changes to one from the version its form was opened at."""
    return _save_versioned(commitment, version)


@action("can_edit_budget")
def post_record(*, actor, post: Post, version: int | None = None) -> Post:
    """Add a post, or save changes to one from the version its form was opened at."""
    if post.status == Post.Status.APPOINTED and not post.start_date:
        raise ValidationError({"start_date": "Enter the start date of the person appointed."})
    return _save_versioned(post, version)


def _save_versioned(obj, version: int | None):
    if obj.pk:
        obj.version = lock_current(obj, version).version + 1
    obj.full_clean()
    obj.save()
    return obj


@action("is_programme_manager")
def theme_weights_set(*, line, actor, weights: dict, version: int | None = None) -> None:
    """Programme manager only: how much of the line each of its themes carries, from the
    version of the line its form was opened at (StaleEdit, listing the weights changed since,
    if someone saved the line since; with no version, the application's own change)."""
    if any(w < 0 for w in weights.values()):
        raise ValidationError("Weights cannot be negative.")
    if weights and not any(weights.values()):
        raise ValidationError("At least one theme needs a weight above 0.")
    try:
        current = lock_current(line, version, required=False)
    except StaleEdit as exc:
        exc.changes = [*exc.changes, *_weights_changed(exc.obj, version)]
        raise
    current.version += 1
    current.save(update_fields=["version"])
    with transaction.atomic():
        existing = {w.theme_id: w for w in ThemeWeight.objects.filter(line=line)}
        for theme, weight in weights.items():
            obj = existing.pop(theme.pk, None) or ThemeWeight(line=line, theme=theme)
            if obj.pk and obj.weight == weight:
                continue
            obj.weight = weight
            obj.save()
        for obj in existing.values():
            obj.delete()


def _weights_changed(line, version: int) -> list[dict]:
    """The theme weights of `line` that differ now from when the line was at `version`."""
    return rows_changed(
        line,
        version,
        ThemeWeight,
        parent="line",
        key="theme_id",
        value=lambda weight: weight.weight,
        label=theme_labels("Weight"),
        show=lambda weight: "(equal share)" if weight is None else f"{weight}",
    )


@action("can_edit_budget")
def allocation_carry_forward(
    *,
    allocation: BudgetAllocation,
    actor,
    amounts: dict[int, Decimal] | None = None,
    start_year: int | None = None,
) -> BudgetAllocation:
    """Start the next financial year (or a later one) with the same lines (and their themes,
    posts and rules), for when the service funds them again."""
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
