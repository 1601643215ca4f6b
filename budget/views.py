from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from havering_improve import roles
from havering_improve.fy import FinancialYear
from themes.selectors import current_programme

from .selectors import allocations_with_lines


@require_safe
@roles.programme_reader_required
def budget_year(request, year: str | None = None):
    """`/budget/` is the current financial year (or the latest allocated before it);
    `/budget/2019-20/` is that year."""
    programme = current_programme()
    allocations = list(allocations_with_lines(programme))
    if year is None:
        today_fy = FinancialYear.for_date(timezone.localdate())
        past = [a for a in allocations if a.start_year <= today_fy.start_year]
        allocation = past[-1] if past else (allocations[0] if allocations else None)
    else:
        try:
            fy = FinancialYear.from_slug(year)
        except ValueError:
            raise Http404("Not a financial year") from None
        allocation = next((a for a in allocations if a.start_year == fy.start_year), None)
        if allocation is None:
            raise Http404("No allocation for that year")
    return render(
        request,
        "budget/budget_year.html",
        {
            "programme": programme,
            "allocation": allocation,
            "allocations": allocations,
            "can_edit": roles.can_edit_budget(request.user),
        },
    )
