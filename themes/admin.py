"""The themes' records in the admin: read only, with their history. A theme's content changes
only through the service's pages and their actions (`themes.actions`), which check who may
change it, refuse a stale edit and keep a submitted report or a PID awaiting approval as it is.
"""

from django.contrib import admin

from havering_improve.admin import ReadOnlyAdmin, read_only_inline

from . import models


@admin.register(models.Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "lead", "programme"]
    list_display_links = ["title"]
    list_select_related = ["lead", "programme"]
    search_fields = ["title"]
    inlines = [read_only_inline(models.TeamMembership, fields=["user", "kind", "organisation"])]


@admin.register(models.TeamMembership)
class TeamMembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "theme", "kind", "organisation"]
    list_select_related = ["user", "theme"]
    list_filter = ["kind", "theme"]


@admin.register(models.Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "theme", "due_date", "status", "completed_on"]
    list_select_related = ["theme"]
    list_filter = ["theme", "status"]
    search_fields = ["title"]


@admin.register(models.Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["name", "theme", "unit", "direction", "target_value", "target_date"]
    list_select_related = ["theme"]
    list_filter = ["theme"]
    inlines = [read_only_inline(models.MeasureReading, fields=["date", "value", "source", "note"])]


@admin.register(models.MeasureReading)
class MeasureReadingAdmin(ReadOnlyAdmin):
    list_display = ["measure", "date", "value", "source"]
    list_select_related = ["measure"]
    list_filter = ["measure__theme"]


@admin.register(models.Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "theme", "kind", "likelihood", "impact", "status", "escalated"]
    list_select_related = ["theme"]
    list_filter = ["theme", "kind", "status", "escalated"]


@admin.register(models.HighlightReport)
class HighlightReportAdmin(ReadOnlyAdmin):
    list_display = ["theme", "period", "revision", "status", "overall_rag", "submitted_at"]
    list_select_related = ["theme"]
    list_filter = ["theme", "status", "overall_rag"]


@admin.register(models.PID)
class PIDAdmin(ReadOnlyAdmin):
    list_display = ["theme", "status", "submitted_at"]
    list_select_related = ["theme"]


@admin.register(models.PIDVersion)
class PIDVersionAdmin(ReadOnlyAdmin):
    list_display = ["theme", "number", "approved_at", "approved_by"]
    list_select_related = ["theme", "approved_by"]


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "theme", "author", "created_at"]
    list_select_related = ["theme", "author"]


@admin.register(models.Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "theme", "kind", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["theme", "uploaded_by"]
