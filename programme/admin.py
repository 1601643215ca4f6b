from django.contrib import admin

from havering_improve.admin import ReadOnlyAdmin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    """Read here, with its history; the programme is set from its data file (`load_programme`),
    never changed in the admin."""

    list_display = ["name", "local_authority"]
