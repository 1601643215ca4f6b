from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.theme_list, name="index"),
    path("<slug:slug>/", views.theme_detail, name="detail"),
]
