"""Changes to a budget line: its monthly profile and hand forecasts, its posts, its
commitments and how its themes share it.

Each is an action (`havering_improve.actions`): atomic, permission-checked, keyword-only, every
field named, and in the history with who made it. A line's months and theme weights, a post
and a commitment are saved from the version their form was opened at (StaleEdit if it moved
on). A post or a commitment is added to a line and stays on it: an update names no line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from havering_improve.actions import StaleEdit, action, lock_current, rows_changed
from themes.models import Theme
from themes.selectors import theme_labels

from ..models import BudgetLine, Commitment, LineMonth, Post, ThemeWeight
from ..selectors import latest_budget


@action("can_edit_budget")
def line_months_update(
    *,
    line: BudgetLine,
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
def commitment_add(
    *,
    line: BudgetLine,
    actor,
    kind: str,
    description: str,
    reference: str = "",
    amount: Decimal,
    raised_on: dt.date,
) -> Commitment:
    """Add a commitment (an order or a contract not yet paid) to a line."""
    commitment = Commitment(line=line)
    return _saved(
        commitment,
        kind=kind,
        description=description,
        reference=reference,
        amount=amount,
        raised_on=raised_on,
    )


@action("can_edit_budget")
def commitment_update(
    *,
    commitment: Commitment,
    actor,
    version: int,
    kind: str,
    description: str,
    reference: str = "",
    amount: Decimal,
    raised_on: dt.date,
) -> Commitment:
    """Save changes to a commitment from the version its form was opened at. It stays on its
    line."""
    current = lock_current(commitment, version)
    current.version += 1
    return _saved(
        current,
        kind=kind,
        description=description,
        reference=reference,
        amount=amount,
        raised_on=raised_on,
    )


@action("can_edit_budget")
def post_add(
    *,
    line: BudgetLine,
    actor,
    post_number: str,
    title: str,
    annual_cost: Decimal,
    status: str = Post.Status.VACANT,
    start_date: dt.date | None = None,
) -> Post:
    """Add a post to a line (a person appointed has a start date)."""
    return _saved(
        Post(line=line),
        post_number=post_number,
        title=title,
        annual_cost=annual_cost,
        status=status,
        start_date=start_date,
    )


@action("can_edit_budget")
def post_update(
    *,
    post: Post,
    actor,
    version: int,
    post_number: str,
    title: str,
    annual_cost: Decimal,
    status: str,
    start_date: dt.date | None = None,
) -> Post:
    """Save changes to a post from the version its form was opened at. It stays on its line."""
    current = lock_current(post, version)
    current.version += 1
    return _saved(
        current,
        post_number=post_number,
        title=title,
        annual_cost=annual_cost,
        status=status,
        start_date=start_date,
    )


def _saved(record, **values):
    """`record` with `values`, checked and saved (a post appointed has a start date)."""
    for name, value in values.items():
        setattr(record, name, value)
    if (
        isinstance(record, Post)
        and record.status == Post.Status.APPOINTED
        and not record.start_date
    ):
        raise ValidationError({"start_date": "Enter the start date of the person appointed."})
    record.full_clean()
    record.save()
    return record


@action("is_programme_manager")
def theme_weights_set(
    *, line: BudgetLine, actor, weights: dict[Theme, Decimal], version: int | None = None
) -> None:
    """Programme manager only: how much of the line each of its themes carries, from the
    version of the line its form was opened at (StaleEdit, listing the weights changed since,
    if someone saved the line since; with no version, the application's own change)."""
    line_themes = set(line.themes.values_list("pk", flat=True))
    if any(theme.pk not in line_themes for theme in weights):
        raise ValidationError("Weigh only the themes the line supports.")
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
