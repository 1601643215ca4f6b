from django.urls import path

from . import views

app_name = "board"

# The pages of the board's packs and of progress reports share these addresses and the name
# "board" (`reporting.urls`, joined to these in `havering_improve/urls.py`).
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
    path("rota/generate/", views.rota_generate, name="rota_generate"),
    path("rota.ics", views.rota_ics, name="rota_ics"),
    path("rota/history/", views.rota_history, name="rota_history"),
    path("settings/", views.board_settings, name="settings"),
    path("actions/", views.actions_list, name="actions"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
]
