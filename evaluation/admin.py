from django.contrib import admin

from havering_improve.admin import HistoryAdmin, tabular_inline

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
class EvaluationStrandAdmin(HistoryAdmin):
    list_display = ["code", "title", "programme"]


@admin.register(JudgementArea)
class JudgementAreaAdmin(HistoryAdmin):
    list_display = ["title", "framework", "is_overall"]
    filter_horizontal = ["themes"]


@admin.register(Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ["title", "kind", "start_date", "is_baseline"]
    inlines = [tabular_inline(Judgement)]


@admin.register(Judgement)
class JudgementAdmin(HistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_select_related = ["inspection", "area"]


@admin.register(EvaluationActivity)
class EvaluationActivityAdmin(HistoryAdmin):
    list_display = ["title", "strand", "kind", "start_date", "completed_on"]
    list_filter = ["kind", "strand"]
    list_select_related = ["strand"]
    filter_horizontal = ["themes"]
    search_fields = ["title"]


@admin.register(AuditResult)
class AuditResultAdmin(HistoryAdmin):
    list_display = ["activity", "theme", "date", "cases_audited", "percent_good_or_better"]
    list_select_related = ["activity", "theme"]
    raw_id_fields = ["measure_reading"]


@admin.register(FeedbackResult)
class FeedbackResultAdmin(HistoryAdmin):
    list_display = ["activity", "responses"]
    list_select_related = ["activity"]
    inlines = [tabular_inline(SurveyScore)]


@admin.register(Finding)
class FindingAdmin(HistoryAdmin):
    list_display = ["title", "kind", "activity", "response", "recorded_on"]
    list_filter = ["kind", "response"]
    list_select_related = ["activity"]
    raw_id_fields = ["milestone", "risk"]
    inlines = [tabular_inline(FindingEvidence)]


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ["__str__", "inspection", "status"]
    list_select_related = ["inspection"]
    filter_horizontal = ["themes"]


admin.site.register(SurveyScore, HistoryAdmin)
admin.site.register(FindingEvidence, HistoryAdmin)
