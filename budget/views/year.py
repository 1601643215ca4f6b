"""The year's virements, its settings, and carrying its lines forward into the next year."""

from havering_improve import editing, roles
from havering_improve.fy import FinancialYear

from .. import selectors
from ..access import EDIT, READ, get_allocation_for_user
from ..actions import allocations as allocation_actions
from ..forms import CarryForwardForm, SettingsForm, VirementForm
from .common import base, form_page, year_url


@roles.programme_reader_required
def virements(request, year):
    level = EDIT if request.method == "POST" else READ
    allocation = get_allocation_for_user(request.user, year, level)
    lines = allocation.lines.order_by("order")
    items = allocation.virements.select_related("from_line", "to_line", "recorded_by")
    return editing.edit_page(
        request,
        VirementForm(editing.posted(request), lines=lines),
        lambda form: allocation_actions.virement_record(
            allocation=allocation,
            actor=request.user,
            from_line=form.cleaned_data["from_line"],
            to_line=form.cleaned_data["to_line"],
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            approved_by=form.cleaned_data["approved_by"],
            approved_on=form.cleaned_data["approved_on"],
        ),
        template="budget/virements.html",
        context=base(request, allocation, virements=items),
        done=year_url(allocation, "budget:virements"),
        success="Virement recorded.",
    )


@roles.programme_reader_required
def budget_settings(request, year):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    current = selectors.allocation_settings(allocation)
    return form_page(
        request,
        allocation,
        SettingsForm(editing.posted(request), instance=current),
        lambda form: allocation_actions.allocation_settings_update(
            allocation=allocation,
            actor=request.user,
            version=form.cleaned_data.get("version"),
            cost_centres=form.cleaned_data["cost_centres"],
            amber_percent=form.cleaned_data["amber_percent"],
            red_percent=form.cleaned_data["red_percent"],
        ),
        done=year_url(allocation),
        success="Settings saved.",
        title="Ledger and RAG settings",
        submit="Save settings",
        back=year_url(allocation),
    )


@roles.programme_reader_required
def carry_forward(request, year):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    nxt = FinancialYear(allocation.start_year + 1)
    return form_page(
        request,
        allocation,
        CarryForwardForm(editing.posted(request)),
        lambda form: allocation_actions.allocation_carry_forward(
            allocation=allocation, actor=request.user
        ),
        done=year_url,
        success=lambda new: f"The {new.financial_year.label} budget has been started.",
        title=f"Carry the lines forward into {nxt.label}",
        submit="Carry forward",
        back=year_url(allocation),
        intro=f"Starts a {nxt.label} budget with the same lines, amounts, themes, posts and "
        "matching rules. Change the amounts afterwards if the service funds them differently.",
    )
