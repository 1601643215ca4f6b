from django.urls import include, path

from . import pid_views, record_views, report_views, views

app_name = "themes"

# /themes/<slug>/pid/…
pid_urls = [
    path("edit/", pid_views.pid_edit, name="pid_edit"),
    path("submit/", pid_views.pid_submit, name="pid_submit"),
    path("review/", pid_views.pid_review, name="pid_review"),
    path("compare/", pid_views.pid_compare, name="pid_compare"),
    path("versions/<int:number>/", pid_views.pid_version, name="pid_version"),
]

# /themes/<slug>/reports/<pk>/…
report_urls = [
    path("", report_views.report_detail, name="report"),
    path("edit/", report_views.report_edit, name="report_edit"),
    path("submit/", report_views.report_submit, name="report_submit"),
    path("correct/", report_views.report_correct, name="report_correct"),
]

# /themes/<slug>/…
theme_urls = [
    path("", views.theme_detail, name="detail"),
    path("<slug:section>/", views.theme_detail, name="section"),
    path("pid/", include(pid_urls)),
    path("milestones/<int:pk>/", record_views.milestone_detail, name="milestone"),
    path("measures/<int:pk>/", record_views.measure_detail, name="measure"),
    path(
        "measures/<int:pk>/chart/<slug:version>.svg",
        record_views.measure_chart,
        name="measure_chart",
    ),
    path("measures/<int:pk>/readings/add/", record_views.reading_add, name="reading_add"),
    path("reports/new/", report_views.report_start, name="report_start"),
    path("reports/<int:pk>/", include(report_urls)),
    path("team/add/", views.team_add, name="team_add"),
    path("team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("comments/add/", views.comment_add, name="comment_add"),
    path("evidence/add/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]

# Milestones, measures and risks are added and edited by the same two views: milestone_add,
# milestone_edit, measure_add…
for kind, part in [("milestone", "milestones"), ("measure", "measures"), ("risk", "risks")]:
    theme_urls += [
        path(f"{part}/add/", record_views.record_add, {"kind": kind}, name=f"{kind}_add"),
        path(
            f"{part}/<int:pk>/edit/", record_views.record_edit, {"kind": kind}, name=f"{kind}_edit"
        ),
    ]

urlpatterns = [
    path("", views.theme_list, name="index"),
    path("mine/", views.my_theme, name="mine"),
    path("<slug:slug>/", include(theme_urls)),
]
