from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AllocationSettings,
    BudgetAllocation,
    BudgetLine,
    Commitment,
    ForecastSnapshot,
    LedgerImport,
    LedgerRow,
    LineMonth,
    MatchingRule,
    PeriodState,
    Post,
    RowAllocation,
    ThemeWeight,
    Virement,
)


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


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Changed only through the app's services, which validate and record who and why."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "allocation", "status", "uploaded_by", "uploaded_at"]
    list_filter = ["status"]
    list_select_related = ["allocation__programme", "uploaded_by"]


@admin.register(LedgerRow)
class LedgerRowAdmin(admin.ModelAdmin):
    """Imported rows are immutable; their audit trail is the import that brought them in."""

    list_display = ["reference", "posting_date", "period", "amount", "line", "active", "batch"]
    list_filter = ["active", "period", "match"]
    search_fields = ["reference", "description", "post_number"]
    list_select_related = ["line", "batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in [
    AllocationSettings,
    Commitment,
    ForecastSnapshot,
    LineMonth,
    MatchingRule,
    PeriodState,
    Post,
    RowAllocation,
    ThemeWeight,
    Virement,
]:
    admin.site.register(model, ReadOnlyAdmin)
