from django.urls import path

from . import views, views_engagement

app_name = "selfevaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.start, name="start"),
    path("sign-off/", views.grants, name="grants"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/settings/", views.settings_edit, name="settings"),
    path("<int:pk>/gather/", views.gather, name="gather"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/return/", views.return_to_draft, name="return"),
    path("sections/<int:pk>/", views.section, name="section"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/claims/new/", views.claim_add, name="claim_add"),
    path("sections/<int:pk>/plans/new/", views.plan_add, name="plan_add"),
    path("evidence/<int:pk>/", views.evidence_edit, name="evidence_edit"),
    path("claims/<int:pk>/", views.claim_edit, name="claim_edit"),
    path("plans/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/document.pdf", views.version_pdf, name="version_pdf"),
    path("versions/<int:pk>/document.docx", views.version_docx, name="version_docx"),
    path("engagement/new/", views_engagement.meeting_add, name="meeting_add"),
    path("engagement/<int:pk>/", views_engagement.meeting, name="meeting"),
    path("engagement/<int:pk>/edit/", views_engagement.meeting_edit, name="meeting_edit"),
    path("engagement/<int:pk>/letter/", views_engagement.letter, name="letter"),
    path("engagement/<int:pk>/actions/new/", views_engagement.action_add, name="action_add"),
    path("engagement/actions/<int:pk>/", views_engagement.action_update, name="action"),
]
