"""The evaluation's records in the admin, to read with their history. They change only through
the evaluation pages' actions, which check who may, keep every record in its programme and say
what was wrong; which themes answer a judgement area is set on the readiness page."""

from django.contrib import admin

from havering_improve.admin import ReadOnlyAdmin, read_only_inline

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
class EvaluationStrandAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "programme"]


@admin.register(JudgementArea)
class JudgementAreaAdmin(ReadOnlyAdmin):
    list_display = ["title", "framework", "is_overall"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "start_date", "is_baseline"]
    inlines = [read_only_inline(Judgement)]


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "area", "grade"]
    list_select_related = ["inspection", "area"]


@admin.register(EvaluationActivity)
class EvaluationActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "strand", "kind", "start_date", "completed_on"]
    list_filter = ["kind", "strand"]
    list_select_related = ["strand"]
    search_fields = ["title"]


@admin.register(AuditResult)
class AuditResultAdmin(ReadOnlyAdmin):
    list_display = ["activity", "theme", "date", "cases_audited", "percent_good_or_better"]
    list_select_related = ["activity", "theme"]
    raw_id_fields = ["measure_reading"]


@admin.register(FeedbackResult)
class FeedbackResultAdmin(ReadOnlyAdmin):
    list_display = ["activity", "responses"]
    list_select_related = ["activity"]
    inlines = [read_only_inline(SurveyScore)]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "activity", "response", "recorded_on"]
    list_filter = ["kind", "response"]
    list_select_related = ["activity"]
    raw_id_fields = ["milestone", "risk"]
    inlines = [read_only_inline(FindingEvidence)]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "inspection", "status"]
    list_select_related = ["inspection"]


admin.site.register(SurveyScore, ReadOnlyAdmin)
admin.site.register(FindingEvidence, ReadOnlyAdmin)
