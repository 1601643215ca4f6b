from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.budget_year, name="index"),
    path("<str:year>/", views.budget_year, name="year"),
]
