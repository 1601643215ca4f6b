"""Who may read or change which year's budget. Every budget view goes through here."""

from django.http import Http404

from havering_improve import roles
from havering_improve.fy import FinancialYear
from themes.selectors import current_programme

from .models import BudgetAllocation

READ, RECORDS, EDIT, MANAGE = "read", "records", "edit", "manage"


# What each level asks of havering_improve.roles.
RULES = {
    READ: "can_view_programme",
    RECORDS: "can_read_budget_records",
    EDIT: "can_edit_budget",
    MANAGE: "is_programme_manager",
}


def check(user, level: str = READ) -> None:
    roles.require(RULES[level], user)


def get_allocation_for_user(user, year: str, level: str = READ) -> BudgetAllocation:
    """The programme's allocation for `year` ("2019-20"): 404 if there is none, 403 if the
    user may not do what `level` asks."""
    check(user, level)
    try:
        fy = FinancialYear.from_slug(year)
    except ValueError:
        raise Http404("Not a financial year") from None
    allocation = (
        BudgetAllocation.objects.select_related("programme")
        .filter(programme=current_programme(), start_year=fy.start_year)
        .first()
    )
    if allocation is None:
        raise Http404("No budget for that year")
    return allocation
