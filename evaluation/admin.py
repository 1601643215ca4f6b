from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvaluationStrand, Inspection, Judgement, JudgementArea


@admin.register(EvaluationStrand)
class EvaluationStrandAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "programme"]


@admin.register(JudgementArea)
class JudgementAreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "framework", "is_overall"]


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "start_date", "is_baseline"]
    inlines = [JudgementInline]


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_select_related = ["inspection", "area"]
