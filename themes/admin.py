"""The themes' records in the admin: read only, with their history. A theme's content changes
only through the service's pages and their actions (`themes.actions`), which check who may
change it, refuse a stale edit and keep a submitted report or a PID awaiting approval as it is.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from havering_improve.admin import HistoryAdmin, tabular_inline

from . import models


class ReadOnly:
    """Nothing is added, changed or deleted here: only read."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnly, HistoryAdmin):
    """A record and its history, to read. A past version is shown, never saved back over the
    record (the history's own form would otherwise save what is posted to it)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _read_only_inline(model, **options):
    """The rows of `model` on their parent's page, to read."""
    inline = tabular_inline(model, **options)
    return type(inline.__name__, (ReadOnly, inline), {"__module__": __name__})


@admin.register(models.Theme)
class ThemeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "title", "lead", "programme"]
    list_display_links = ["title"]
    list_select_related = ["lead", "programme"]
    search_fields = ["title"]
    inlines = [_read_only_inline(models.TeamMembership, fields=["user", "kind", "organisation"])]


@admin.register(models.TeamMembership)
class TeamMembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "theme", "kind", "organisation"]
    list_select_related = ["user", "theme"]
    list_filter = ["kind", "theme"]


@admin.register(models.Milestone)
class MilestoneAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "theme", "due_date", "status", "completed_on"]
    list_select_related = ["theme"]
    list_filter = ["theme", "status"]
    search_fields = ["title"]


@admin.register(models.Measure)
class MeasureAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "theme", "unit", "direction", "target_value", "target_date"]
    list_select_related = ["theme"]
    list_filter = ["theme"]
    inlines = [_read_only_inline(models.MeasureReading, fields=["date", "value", "source", "note"])]


@admin.register(models.MeasureReading)
class MeasureReadingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["measure", "date", "value", "source"]
    list_select_related = ["measure"]
    list_filter = ["measure__theme"]


@admin.register(models.Risk)
class RiskAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "theme", "kind", "likelihood", "impact", "status", "escalated"]
    list_select_related = ["theme"]
    list_filter = ["theme", "kind", "status", "escalated"]


@admin.register(models.HighlightReport)
class HighlightReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["theme", "period", "revision", "status", "overall_rag", "submitted_at"]
    list_select_related = ["theme"]
    list_filter = ["theme", "status", "overall_rag"]


@admin.register(models.PID)
class PIDAdmin(ReadOnlyHistoryAdmin):
    list_display = ["theme", "status", "submitted_at"]
    list_select_related = ["theme"]


@admin.register(models.PIDVersion)
class PIDVersionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["theme", "number", "approved_at", "approved_by"]
    list_select_related = ["theme", "approved_by"]


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "theme", "author", "created_at"]
    list_select_related = ["theme", "author"]


@admin.register(models.Evidence)
class EvidenceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "theme", "kind", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["theme", "uploaded_by"]
