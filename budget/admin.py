from django.apps import apps
from django.contrib import admin
from simple_history.models import HistoricalChanges

from havering_improve.admin import ReadOnly, ReadOnlyAdmin, read_only_inline

from .models import BudgetAllocation, BudgetLine, LedgerImport, LedgerRow


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "amount", "funding_source"]
    inlines = [read_only_inline(BudgetLine, fields=["order", "code", "title", "amount"])]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["title", "amount", "allocation"]
    list_select_related = ["allocation__programme"]
    filter_horizontal = ["themes"]


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
