from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_index, name="index"),
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/areas/<slug:slug>/themes/", views.area_themes, name="area_themes"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/audit/", views.audit_result_create, name="audit_create"),
    path("audits/<int:pk>/edit/", views.audit_result_edit, name="audit_edit"),
    path("activities/<int:pk>/feedback/", views.feedback_edit, name="feedback_edit"),
    path("activities/<int:pk>/feedback/import/", views.survey_import, name="survey_import"),
    path("activities/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/evidence/", views.finding_evidence_add, name="evidence_add"),
    path("findings/<int:pk>/milestone/", views.finding_to_milestone, name="finding_milestone"),
    path("findings/<int:pk>/risk/", views.finding_to_risk, name="finding_risk"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("themes/<slug:slug>/", views.theme_evidence, name="theme_evidence"),
]
