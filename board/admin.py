"""The board's records in the admin, to read with their history: they are changed only through
the app's actions, which check who may and keep the version."""

from django.contrib import admin

from havering_improve.admin import ReadOnlyAdmin, read_only_inline

from . import models


@admin.register(models.Board)
class BoardAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "themes_per_meeting", "is_public"]


@admin.register(models.BoardSettings)
class BoardSettingsAdmin(ReadOnlyAdmin):
    list_display = ["board", "pack_days_before", "reminder_working_days"]


@admin.register(models.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["date", "board", "venue", "chair"]
    list_filter = ["board"]
    inlines = [read_only_inline(models.RotaSlot)]


@admin.register(models.RotaSlot)
class RotaSlotAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "theme"]


@admin.register(models.RotaPin)
class RotaPinAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "theme", "in_focus"]


@admin.register(models.RotaRun)
class RotaRunAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "board", "status", "message"]


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "text", "restricted"]


@admin.register(models.Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["description", "owner", "due_date", "status", "restricted"]
    list_filter = ["status"]
