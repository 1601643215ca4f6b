"""Addresses of packs and progress reports, under /board/ and named in the board's namespace
(`board:pack`, `board:reports`…) as they always were: `havering_improve/urls.py` joins them to
`board.urls`."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/<int:pk>/pack/build/", views.pack_build, name="pack_build"),
    path("packs/<int:pk>/", views.pack_detail, name="pack"),
    path("packs/<int:pk>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("packs/<int:pk>/charts/<slug:key>.svg", views.pack_chart, name="pack_chart"),
    path("packs/<int:pk>/publish/", views.pack_publish, name="pack_publish"),
    path("packs/<int:pk>/reissue/", views.pack_reissue, name="pack_reissue"),
    path("reports/", views.reports_index, name="reports"),
    path("reports/bodies/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("reports/bodies/<int:pk>/preview/", views.schedule_preview, name="schedule_preview"),
    path("reports/bodies/<int:pk>/make/", views.schedule_make_now, name="schedule_make_now"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
]
