from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0013_programme_from_its_own_app"),
    ]

    # Packs, reminders and progress reports belong to the reporting app from here on. Only
    # Django's idea of the models moves: their tables (and their history's) stay as they are,
    # with every row, under the names they were made with (reporting.models sets `db_table`).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="historicalprogressreport",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalprogressreport",
                    name="schedule",
                ),
                migrations.RemoveField(
                    model_name="historicalreportschedule",
                    name="board",
                ),
                migrations.RemoveField(
                    model_name="historicalreportschedule",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="meetingpack",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="meetingpack",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="progressreport",
                    name="schedule",
                ),
                migrations.RemoveField(
                    model_name="reportdelivery",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="remindersent",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="remindersent",
                    name="theme",
                ),
                migrations.RemoveField(
                    model_name="reportschedule",
                    name="board",
                ),
                migrations.DeleteModel(
                    name="HistoricalMeetingPack",
                ),
                migrations.DeleteModel(
                    name="HistoricalProgressReport",
                ),
                migrations.DeleteModel(
                    name="HistoricalReportSchedule",
                ),
                migrations.DeleteModel(
                    name="MeetingPack",
                ),
                migrations.DeleteModel(
                    name="ProgressReport",
                ),
                migrations.DeleteModel(
                    name="ReportDelivery",
                ),
                migrations.DeleteModel(
                    name="ReminderSent",
                ),
                migrations.DeleteModel(
                    name="ReportSchedule",
                ),
            ],
            database_operations=[],
        ),
    ]
