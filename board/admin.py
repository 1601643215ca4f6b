from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Board


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "themes_per_meeting", "is_public"]
