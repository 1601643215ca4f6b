"""Who may read or change which year's budget. Every budget view goes through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from havering_improve import roles
from havering_improve.fy import FinancialYear
from themes.selectors import current_programme

from .models import BudgetAllocation

READ, RECORDS, EDIT, MANAGE = "read", "records", "edit", "manage"


def check(user, level: str = READ) -> None:
    if not roles.can_view_programme(user):
        raise PermissionDenied("Your account has no role in the programme yet.")
    if level == RECORDS and not roles.can_read_budget_records(user):
        raise PermissionDenied(
            "Only finance officers, the programme manager and auditors see this."
        )
    if level == EDIT and not roles.can_edit_budget(user):
        raise PermissionDenied("Only finance officers and the programme manager change the budget.")
    if level == MANAGE and not roles.is_programme_manager(user):
        raise PermissionDenied("Only the programme manager can do that.")


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
