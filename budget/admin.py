from django.apps import apps
from django.contrib import admin
from simple_history.models import HistoricalChanges

from havering_improve.admin import HistoryAdmin, tabular_inline

from .models import BudgetAllocation, BudgetLine, LedgerImport, LedgerRow


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(HistoryAdmin):
    list_display = ["__str__", "amount", "funding_source"]
    inlines = [tabular_inline(BudgetLine, fields=["order", "code", "title", "amount"])]


@admin.register(BudgetLine)
class BudgetLineAdmin(HistoryAdmin):
    list_display = ["title", "amount", "allocation"]
    list_select_related = ["allocation__programme"]
    filter_horizontal = ["themes"]


class ReadOnly:
    """Changed only through the app's actions, which validate and record who and why."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, HistoryAdmin):
    pass


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "allocation", "status", "uploaded_by", "uploaded_at"]
    list_filter = ["status"]
    list_select_related = ["allocation__programme", "uploaded_by"]


@admin.register(LedgerRow)
class LedgerRowAdmin(ReadOnly, admin.ModelAdmin):
    """Imported rows are immutable; their audit trail is the import that brought them in."""

    list_display = ["reference", "posting_date", "period", "amount", "line", "active", "batch"]
    list_filter = ["active", "period", "match"]
    search_fields = ["reference", "description", "post_number"]
    list_select_related = ["line", "batch"]


# Every other budget record (not the history's own records) is read here, with its history.
for model in apps.get_app_config("budget").get_models():
    if not issubclass(model, HistoricalChanges) and not admin.site.is_registered(model):
        admin.site.register(model, ReadOnlyAdmin)
