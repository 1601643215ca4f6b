"""Packs, reminders and progress reports in the admin, to read with their history: a published
pack is the Board's record, and every one of these is changed only through the app's actions."""

from django.contrib import admin

from havering_improve.admin import ReadOnlyAdmin, read_only_inline

from . import models


@admin.register(models.MeetingPack)
class MeetingPackAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "version", "status", "published_at"]


@admin.register(models.ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "meeting", "theme", "kind", "recipient"]


@admin.register(models.ReportSchedule)
class ReportScheduleAdmin(ReadOnlyAdmin):
    list_display = ["board", "frequency", "send_day", "active"]


@admin.register(models.ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "period_start", "status", "generated_at"]
    inlines = [read_only_inline(models.ReportDelivery, readonly_fields=["recipient", "sent_at"])]


@admin.register(models.ReportDelivery)
class ReportDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["report", "recipient", "sent_at"]
