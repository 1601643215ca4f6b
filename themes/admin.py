from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Programme, TeamMembership, Theme


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
