from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    PID,
    Comment,
    Evidence,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    PIDVersion,
    Programme,
    Risk,
    TeamMembership,
    Theme,
)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "local_authority"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "lead", "programme"]
    list_display_links = ["title"]
    list_select_related = ["lead", "programme"]
    search_fields = ["title"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "theme", "kind", "organisation"]
    list_select_related = ["user", "theme"]
    list_filter = ["kind", "theme"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "theme", "due_date", "status", "completed_on"]
    list_select_related = ["theme"]
    list_filter = ["theme", "status"]
    search_fields = ["title"]


class MeasureReadingInline(admin.TabularInline):
    model = MeasureReading
    extra = 0
    fields = ["date", "value", "source", "note"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "theme", "unit", "direction", "target_value", "target_date"]
    list_select_related = ["theme"]
    list_filter = ["theme"]
    inlines = [MeasureReadingInline]


@admin.register(MeasureReading)
class MeasureReadingAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "date", "value", "source"]
    list_select_related = ["measure"]
    list_filter = ["measure__theme"]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "theme", "kind", "likelihood", "impact", "status", "escalated"]
    list_select_related = ["theme"]
    list_filter = ["theme", "kind", "status", "escalated"]


@admin.register(HighlightReport)
class HighlightReportAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "period", "revision", "status", "overall_rag", "submitted_at"]
    list_select_related = ["theme"]
    list_filter = ["theme", "status", "overall_rag"]


@admin.register(PID)
class PIDAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "status", "submitted_at"]
    list_select_related = ["theme"]


@admin.register(PIDVersion)
class PIDVersionAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "number", "approved_at", "approved_by"]
    list_select_related = ["theme", "approved_by"]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "theme", "author", "created_at"]
    list_select_related = ["theme", "author"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "theme", "kind", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["theme", "uploaded_by"]
