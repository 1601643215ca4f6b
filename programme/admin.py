from django.contrib import admin

from havering_improve.admin import HistoryAdmin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(HistoryAdmin):
    """Read here, with its history; the programme is set from its data file (`load_programme`),
    never changed in the admin."""

    list_display = ["name", "local_authority"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
