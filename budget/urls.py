from django.urls import path

from .views import imports, ledger, lines, periods, queue, report, year

app_name = "budget"

Y = "<str:year>/"

urlpatterns = [
    path("", report.budget_year, name="index"),
    path(Y, report.budget_year, name="year"),
    path(Y + "report.xlsx", report.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path(Y + "report.csv", report.report_download, {"fmt": "csv"}, name="report_csv"),
    path(Y + "chart/<slug:as_at>/<slug:version>.svg", report.report_chart, name="chart"),
    path(Y + "ledger/", ledger.ledger, name="ledger"),
    path(Y + "ledger.xlsx", ledger.ledger_download, {"fmt": "xlsx"}, name="ledger_xlsx"),
    path(Y + "ledger.csv", ledger.ledger_download, {"fmt": "csv"}, name="ledger_csv"),
    path(Y + "imports/", imports.imports, name="imports"),
    path(Y + "imports/<int:pk>/", imports.import_detail, name="import"),
    path(Y + "imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path(Y + "imports/<int:pk>/cancel/", imports.import_cancel, name="import_cancel"),
    path(Y + "imports/<int:pk>/reverse/", imports.import_reverse, name="import_reverse"),
    path(Y + "imports/<int:pk>/file/", imports.import_file, name="import_file"),
    path(Y + "queue/", queue.queue, name="queue"),
    path(Y + "queue/<int:row_id>/", queue.allocate, name="allocate"),
    path(Y + "rules/", queue.rules, name="rules"),
    path(Y + "rules/<int:pk>/delete/", queue.rule_delete, name="rule_delete"),
    path(Y + "rules/<int:pk>/apply/", queue.rule_apply, name="rule_apply"),
    path(Y + "periods/", periods.periods, name="periods"),
    path(Y + "periods/<int:period>/close/", periods.period_close, name="period_close"),
    path(Y + "periods/<int:period>/reopen/", periods.period_reopen, name="period_reopen"),
    path(Y + "virements/", year.virements, name="virements"),
    path(Y + "settings/", year.budget_settings, name="settings"),
    path(Y + "carry-forward/", year.carry_forward, name="carry_forward"),
    path(Y + "themes/", report.themes_spend, name="themes"),
    path(Y + "lines/<slug:code>/", lines.line_detail, name="line"),
    path(Y + "lines/<slug:code>/profile/", lines.line_months, name="line_months"),
    path(Y + "lines/<slug:code>/themes/", lines.line_themes, name="line_themes"),
    path(Y + "lines/<slug:code>/commitments/new/", lines.commitment_edit, name="commitment_add"),
    path(Y + "lines/<slug:code>/commitments/<int:pk>/", lines.commitment_edit, name="commitment"),
    path(Y + "lines/<slug:code>/posts/new/", lines.post_edit, name="post_add"),
    path(Y + "lines/<slug:code>/posts/<int:pk>/", lines.post_edit, name="post"),
]
