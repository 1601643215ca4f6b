from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    Board,
    BoardSettings,
    Decision,
    Meeting,
    MeetingPack,
    ProgressReport,
    ReminderSent,
    ReportDelivery,
    ReportSchedule,
    RotaPin,
    RotaRun,
    RotaSlot,
)


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "themes_per_meeting", "is_public"]


@admin.register(BoardSettings)
class BoardSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["board", "pack_days_before", "reminder_working_days"]


class RotaSlotInline(admin.TabularInline):
    model = RotaSlot
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "board", "venue", "chair"]
    list_filter = ["board"]
    inlines = [RotaSlotInline]


@admin.register(RotaSlot)
class RotaSlotAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "theme"]


@admin.register(RotaPin)
class RotaPinAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "theme", "in_focus"]


@admin.register(RotaRun)
class RotaRunAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "board", "status", "message"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "text", "restricted"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_date", "status", "restricted"]
    list_filter = ["status"]


@admin.register(MeetingPack)
class MeetingPackAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "version", "status", "published_at"]
    # A published pack is the board's record: it is changed only through the app's re-issue.
    readonly_fields = ["snapshot", "snapshot_sha256", "pdf_sha256", "html", "pdf"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "meeting", "theme", "kind", "recipient"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["board", "frequency", "send_day", "active"]


class ReportDeliveryInline(admin.TabularInline):
    model = ReportDelivery
    extra = 0
    readonly_fields = ["recipient", "sent_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["schedule", "period_start", "status", "generated_at"]
    inlines = [ReportDeliveryInline]
    readonly_fields = ["snapshot", "snapshot_sha256", "html", "pdf"]
