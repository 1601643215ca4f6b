from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.board_index, name="index"),
    path("meetings/add/", views.meeting_add, name="meeting_add"),
    path("meetings/schedule/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/pins/", views.meeting_pins, name="meeting_pins"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/pack/build/", views.pack_build, name="pack_build"),
    path("rota/generate/", views.rota_generate, name="rota_generate"),
    path("rota.ics", views.rota_ics, name="rota_ics"),
    path("rota/history/", views.rota_history, name="rota_history"),
    path("settings/", views.board_settings, name="settings"),
    path("actions/", views.actions_list, name="actions"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
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
