"""The allocation queue and the matching rules."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from havering_improve import editing, roles
from havering_improve.pagination import page_or_404

from .. import selectors
from ..access import EDIT, RECORDS, get_allocation_for_user
from ..actions import rules as rule_actions
from ..forms import AllocateForm, RuleForm
from ..matching import Matcher, rule_queue_matches
from ..selectors import ledger_rows
from .common import PAGE_SIZE, base, year_url


@require_safe
@roles.programme_reader_required
def queue(request, year):
    allocation = get_allocation_for_user(request.user, year, RECORDS)
    rows = ledger_rows(allocation, queue=True)
    page = page_or_404(rows, PAGE_SIZE, request)
    return render(
        request,
        "budget/queue.html",
        base(
            request,
            allocation,
            page=page,
            closed=selectors.closed_periods(allocation),
            offer=_rule_offer(allocation, request.GET.get("rule", "")),
        ),
    )


@roles.programme_reader_required
def allocate(request, year, row_id):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    row = get_object_or_404(allocation.ledger_rows, pk=row_id, active=True)
    lines = list(allocation.lines.order_by("order"))

    def allocate_row(form):
        save_rule = form.cleaned_data.get("save_rule", "")
        rule_actions.row_allocate(
            row=row, splits=form.cleaned_data["splits"], actor=request.user, save_rule=save_rule
        )
        # The rule just saved is the one that now places this row.
        return Matcher.for_allocation(allocation).match(row) if save_rule else None

    def done(rule):
        url = year_url(allocation, "budget:queue")
        return f"{url}?rule={rule.pk}" if rule is not None else url

    return editing.edit_page(
        request,
        AllocateForm(editing.posted(request), lines=lines, row=row),
        allocate_row,
        template="budget/allocate.html",
        context=base(request, allocation, row=row),
        done=done,
        success=f"{row.reference} allocated.",
    )


def _rule_offer(allocation, rule_id: str) -> dict | None:
    """After a rule is saved while allocating: the other rows waiting that it would place,
    their count and total, offered with a link to apply it to them."""
    rule = allocation.rules.filter(pk=rule_id).first() if rule_id.isdigit() else None
    rows = rule_queue_matches(rule) if rule is not None else []
    if not rows:
        return None
    return {
        "rule": rule,
        "count": len(rows),
        "total": sum((r.amount for r in rows), Decimal("0.00")),
    }


@roles.programme_reader_required
def rules(request, year):
    level = EDIT if request.method == "POST" else RECORDS
    allocation = get_allocation_for_user(request.user, year, level)
    lines = allocation.lines.order_by("order")

    def save(form):
        data = form.cleaned_data
        rule = rule_actions.rule_save(
            allocation=allocation,
            actor=request.user,
            line=data["line"],
            kind=data["kind"],
            post_number=data["post_number"],
            cost_centre=data["cost_centre"],
            subjective=data["subjective"],
            description_contains=data["description_contains"],
        )
        return rule, bool(rule_queue_matches(rule))

    def done(saved):
        rule, queued = saved
        if queued:  # offer to place the rows already waiting, before the next import does
            return year_url(allocation, "budget:rule_apply", pk=rule.pk)
        return year_url(allocation, "budget:rules")

    return editing.edit_page(
        request,
        RuleForm(editing.posted(request), lines=lines),
        save,
        template="budget/rules.html",
        context=base(request, allocation, rules=allocation.rules.select_related("line")),
        done=done,
        success=lambda saved: (
            None
            if saved[1]
            else "Rule saved. No row in the queue matches it; it applies to the next import."
        ),
    )


@roles.programme_reader_required
def rule_apply(request, year, pk):
    """Offer to apply a rule to the rows already in the queue: shows them, asks to confirm."""
    allocation = get_allocation_for_user(request.user, year, EDIT)
    rule = get_object_or_404(allocation.rules.select_related("line", "allocation"), pk=pk)
    rows = rule_queue_matches(rule)
    if request.method == "POST":
        editing.button_action(
            request,
            lambda: rule_actions.rule_apply_to_queue(rule=rule, actor=request.user),
            success=lambda applied: (
                f"Rule applied: {len(applied)} row{'s' if len(applied) != 1 else ''} placed on "
                f"{rule.line.title}."
            ),
        )
        return redirect(year_url(allocation, "budget:queue"))
    total = sum((row.amount for row in rows), Decimal("0.00"))
    return render(
        request,
        "budget/rule_apply.html",
        base(request, allocation, rule=rule, rows=rows, total=total),
    )


@require_POST
@roles.programme_reader_required
def rule_delete(request, year, pk):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    rule = get_object_or_404(allocation.rules, pk=pk)
    rule_actions.rule_delete(rule=rule, actor=request.user)
    messages.success(request, "Rule deleted.")
    return redirect(year_url(allocation, "budget:rules"))
