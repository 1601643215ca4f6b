from django.urls import path

from . import pid_views, record_views, report_views, views

app_name = "themes"

urlpatterns = [
    path("", views.theme_list, name="index"),
    path("mine/", views.my_theme, name="mine"),
    path("<slug:slug>/", views.theme_detail, name="detail"),
    path("<slug:slug>/<slug:section>/", views.theme_detail, name="section"),
    path("<slug:slug>/pid/edit/", pid_views.pid_edit, name="pid_edit"),
    path("<slug:slug>/pid/submit/", pid_views.pid_submit, name="pid_submit"),
    path("<slug:slug>/pid/review/", pid_views.pid_review, name="pid_review"),
    path("<slug:slug>/pid/compare/", pid_views.pid_compare, name="pid_compare"),
    path("<slug:slug>/pid/versions/<int:number>/", pid_views.pid_version, name="pid_version"),
    path("<slug:slug>/milestones/<int:pk>/", record_views.milestone_detail, name="milestone"),
    path("<slug:slug>/measures/<int:pk>/", record_views.measure_detail, name="measure"),
    path(
        "<slug:slug>/measures/<int:pk>/readings/add/", record_views.reading_add, name="reading_add"
    ),
    path("<slug:slug>/reports/new/", report_views.report_start, name="report_start"),
    path("<slug:slug>/reports/<int:pk>/", report_views.report_detail, name="report"),
    path("<slug:slug>/reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("<slug:slug>/reports/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path(
        "<slug:slug>/reports/<int:pk>/correct/", report_views.report_correct, name="report_correct"
    ),
    path("<slug:slug>/team/add/", views.team_add, name="team_add"),
    path("<slug:slug>/team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("<slug:slug>/comments/add/", views.comment_add, name="comment_add"),
    path("<slug:slug>/evidence/add/", views.evidence_add, name="evidence_add"),
    path("<slug:slug>/evidence/<int:pk>/", views.evidence_download, name="evidence"),
]

# Milestones, measures and risks are added and edited by the same two views: milestone_add,
# milestone_edit, measure_add…
for kind, part in [("milestone", "milestones"), ("measure", "measures"), ("risk", "risks")]:
    urlpatterns += [
        path(
            f"<slug:slug>/{part}/add/", record_views.record_add, {"kind": kind}, name=f"{kind}_add"
        ),
        path(
            f"<slug:slug>/{part}/<int:pk>/edit/",
            record_views.record_edit,
            {"kind": kind},
            name=f"{kind}_edit",
        ),
    ]
