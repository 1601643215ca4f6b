from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from havering_improve.admin import tabular_inline

from .models import (
    AuditResult,
    EvaluationActivity,
    EvaluationStrand,
    FeedbackResult,
    Finding,
    FindingEvidence,
    Inspection,
    Judgement,
    JudgementArea,
    Recommendation,
    SurveyScore,
)


@admin.register(EvaluationStrand)
class EvaluationStrandAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "programme"]


@admin.register(JudgementArea)
class JudgementAreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "framework", "is_overall"]
    filter_horizontal = ["themes"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "start_date", "is_baseline"]
    inlines = [tabular_inline(Judgement)]


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_select_related = ["inspection", "area"]


@admin.register(EvaluationActivity)
class EvaluationActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "strand", "kind", "start_date", "completed_on"]
    list_filter = ["kind", "strand"]
    list_select_related = ["strand"]
    filter_horizontal = ["themes"]
    search_fields = ["title"]


@admin.register(AuditResult)
class AuditResultAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "theme", "date", "cases_audited", "percent_good_or_better"]
    list_select_related = ["activity", "theme"]
    raw_id_fields = ["measure_reading"]


@admin.register(FeedbackResult)
class FeedbackResultAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "responses"]
    list_select_related = ["activity"]
    inlines = [tabular_inline(SurveyScore)]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "activity", "response", "recorded_on"]
    list_filter = ["kind", "response"]
    list_select_related = ["activity"]
    raw_id_fields = ["milestone", "risk"]
    inlines = [tabular_inline(FindingEvidence)]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "inspection", "status"]
    list_select_related = ["inspection"]
    filter_horizontal = ["themes"]


admin.site.register(SurveyScore, SimpleHistoryAdmin)
admin.site.register(FindingEvidence, SimpleHistoryAdmin)
