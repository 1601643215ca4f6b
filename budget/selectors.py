from django.db.models import Prefetch

from .models import BudgetAllocation, BudgetLine


def allocations_with_lines(programme):
    lines = BudgetLine.objects.prefetch_related("themes").order_by("order")
    return (
        BudgetAllocation.objects.filter(programme=programme)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("start_year")
    )
