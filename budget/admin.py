from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BudgetAllocation, BudgetLine


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["order", "code", "title", "amount"]


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "amount", "funding_source"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["title", "amount", "allocation"]
    list_select_related = ["allocation__programme"]
    filter_horizontal = ["themes"]
