from django.contrib import admin

from havering_improve.admin import HistoryAdmin, tabular_inline

from . import models


@admin.register(models.Board)
class BoardAdmin(HistoryAdmin):
    list_display = ["name", "kind", "themes_per_meeting", "is_public"]


@admin.register(models.BoardSettings)
class BoardSettingsAdmin(HistoryAdmin):
    list_display = ["board", "pack_days_before", "reminder_working_days"]


@admin.register(models.Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["date", "board", "venue", "chair"]
    list_filter = ["board"]
    inlines = [tabular_inline(models.RotaSlot)]


@admin.register(models.RotaSlot)
class RotaSlotAdmin(HistoryAdmin):
    list_display = ["meeting", "theme"]


@admin.register(models.RotaPin)
class RotaPinAdmin(HistoryAdmin):
    list_display = ["meeting", "theme", "in_focus"]


@admin.register(models.RotaRun)
class RotaRunAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "board", "status", "message"]


@admin.register(models.Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = ["meeting", "text", "restricted"]


@admin.register(models.Action)
class ActionAdmin(HistoryAdmin):
    list_display = ["description", "owner", "due_date", "status", "restricted"]
    list_filter = ["status"]


@admin.register(models.MeetingPack)
class MeetingPackAdmin(HistoryAdmin):
    list_display = ["meeting", "version", "status", "published_at"]
    # A published pack is the board's record: it is changed only through the app's re-issue.
    readonly_fields = ["snapshot", "snapshot_sha256", "pdf_sha256", "html", "pdf"]


@admin.register(models.ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "meeting", "theme", "kind", "recipient"]


@admin.register(models.ReportSchedule)
class ReportScheduleAdmin(HistoryAdmin):
    list_display = ["board", "frequency", "send_day", "active"]


@admin.register(models.ProgressReport)
class ProgressReportAdmin(HistoryAdmin):
    list_display = ["schedule", "period_start", "status", "generated_at"]
    inlines = [tabular_inline(models.ReportDelivery, readonly_fields=["recipient", "sent_at"])]
    readonly_fields = ["snapshot", "snapshot_sha256", "html", "pdf"]
