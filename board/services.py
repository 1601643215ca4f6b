from decimal import Decimal

from django.db.models import Sum

from budget.models import BudgetAllocation
from themes.models import Programme


def programme_summary(*, programme_id: int) -> dict:
    """The headline figures the programme is known by — themes, strands, money allocated.
    JSON-safe (money as a string, never a float) so a task can return it."""
    programme = Programme.objects.get(pk=programme_id)
    total = BudgetAllocation.objects.filter(programme=programme).aggregate(t=Sum("amount"))["t"]
    return {
        "programme": programme.name,
        "themes": programme.themes.count(),
        "evaluation_strands": programme.strands.count(),
        "budget_total": str(total or Decimal("0.00")),
    }
