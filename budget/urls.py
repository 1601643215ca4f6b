from django.urls import path

from . import views

app_name = "budget"

Y = "<str:year>/"

urlpatterns = [
    path("", views.budget_year, name="index"),
    path(Y, views.budget_year, name="year"),
    path(Y + "report.xlsx", views.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path(Y + "report.csv", views.report_download, {"fmt": "csv"}, name="report_csv"),
    path(Y + "ledger/", views.ledger, name="ledger"),
    path(Y + "ledger.xlsx", views.ledger_download, {"fmt": "xlsx"}, name="ledger_xlsx"),
    path(Y + "ledger.csv", views.ledger_download, {"fmt": "csv"}, name="ledger_csv"),
    path(Y + "imports/", views.imports, name="imports"),
    path(Y + "imports/<int:pk>/", views.import_detail, name="import"),
    path(Y + "imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path(Y + "imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path(Y + "imports/<int:pk>/reverse/", views.import_reverse, name="import_reverse"),
    path(Y + "imports/<int:pk>/file/", views.import_file, name="import_file"),
    path(Y + "queue/", views.queue, name="queue"),
    path(Y + "queue/<int:row_id>/", views.allocate, name="allocate"),
    path(Y + "rules/", views.rules, name="rules"),
    path(Y + "rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path(Y + "rules/<int:pk>/apply/", views.rule_apply, name="rule_apply"),
    path(Y + "periods/", views.periods, name="periods"),
    path(Y + "periods/<int:period>/close/", views.period_close, name="period_close"),
    path(Y + "periods/<int:period>/reopen/", views.period_reopen, name="period_reopen"),
    path(Y + "virements/", views.virements, name="virements"),
    path(Y + "settings/", views.budget_settings, name="settings"),
    path(Y + "carry-forward/", views.carry_forward, name="carry_forward"),
    path(Y + "themes/", views.themes_spend, name="themes"),
    path(Y + "lines/<slug:code>/", views.line_detail, name="line"),
    path(Y + "lines/<slug:code>/profile/", views.line_months, name="line_months"),
    path(Y + "lines/<slug:code>/themes/", views.line_themes, name="line_themes"),
    path(Y + "lines/<slug:code>/commitments/new/", views.commitment_edit, name="commitment_add"),
    path(Y + "lines/<slug:code>/commitments/<int:pk>/", views.commitment_edit, name="commitment"),
    path(Y + "lines/<slug:code>/posts/new/", views.post_edit, name="post_add"),
    path(Y + "lines/<slug:code>/posts/<int:pk>/", views.post_edit, name="post"),
]
