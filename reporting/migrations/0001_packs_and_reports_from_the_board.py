import board.models
import django.db.models.deletion
import havering_improve.validators
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "meetingpack",
    "historicalmeetingpack",
    "remindersent",
    "reportschedule",
    "historicalreportschedule",
    "progressreport",
    "historicalprogressreport",
    "reportdelivery",
]


def _relabel(apps, old, new):
    """The moved models' content types follow them, so their permissions (and the groups that
    hold them) and the admin's log of them are kept. A database made from scratch has none yet:
    they are made after the migrations, under the new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_reporting(apps, schema_editor):
    _relabel(apps, "board", "reporting")


def content_types_to_board(apps, schema_editor):
    _relabel(apps, "reporting", "board")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("board", "0014_packs_and_reports_move_to_reporting"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("themes", "0008_single_line_title"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The board's tables of packs, reminders and progress reports, and their history, taken
    # over as they are: no table is made or changed (see board 0013).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalMeetingPack",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveSmallIntegerField(default=1)),
                        (
                            "reason",
                            models.TextField(blank=True, help_text="Why this version was issued."),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("building", "Building"),
                                    ("ready", "Ready"),
                                    ("failed", "Failed"),
                                    ("published", "Published"),
                                ],
                                default="building",
                                max_length=10,
                            ),
                        ),
                        ("build_attempt", models.PositiveIntegerField(default=1)),
                        ("error", models.TextField(blank=True)),
                        ("html", models.TextField(blank=True, max_length=100)),
                        ("pdf", models.TextField(blank=True, max_length=100)),
                        ("snapshot", models.JSONField(blank=True, null=True)),
                        ("snapshot_sha256", models.CharField(blank=True, max_length=64)),
                        ("pdf_sha256", models.CharField(blank=True, max_length=64)),
                        ("built_at", models.DateTimeField(blank=True, null=True)),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "board_told_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="When board members were e-mailed that it is published.",
                                null=True,
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="board.meeting",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical meeting pack",
                        "verbose_name_plural": "historical meeting packs",
                        "db_table": "board_historicalmeetingpack",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalReportSchedule",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                                max_length=10,
                            ),
                        ),
                        (
                            "send_day",
                            models.PositiveSmallIntegerField(
                                default=5,
                                help_text="Day of the month after each period ends when the report goes out.",
                            ),
                        ),
                        ("sections", models.JSONField(default=list)),
                        ("recipients", models.TextField(help_text="Email addresses, one a line.")),
                        (
                            "first_period",
                            models.DateField(
                                blank=True,
                                help_text="The scheduled job makes every report due from the period containing this date that has not been made yet. Leave blank to start with the next report due.",
                                null=True,
                                validators=[havering_improve.validators.validate_plausible_date],
                            ),
                        ),
                        ("active", models.BooleanField(default=True)),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Optimistic concurrency."
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "board",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="board.board",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical report schedule",
                        "verbose_name_plural": "historical report schedules",
                        "db_table": "board_historicalreportschedule",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="ReportSchedule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                                max_length=10,
                            ),
                        ),
                        (
                            "send_day",
                            models.PositiveSmallIntegerField(
                                default=5,
                                help_text="Day of the month after each period ends when the report goes out.",
                            ),
                        ),
                        ("sections", models.JSONField(default=list)),
                        ("recipients", models.TextField(help_text="Email addresses, one a line.")),
                        (
                            "first_period",
                            models.DateField(
                                blank=True,
                                help_text="The scheduled job makes every report due from the period containing this date that has not been made yet. Leave blank to start with the next report due.",
                                null=True,
                                validators=[havering_improve.validators.validate_plausible_date],
                            ),
                        ),
                        ("active", models.BooleanField(default=True)),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Optimistic concurrency."
                            ),
                        ),
                        (
                            "board",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_schedule",
                                to="board.board",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "board_reportschedule",
                        "ordering": ["board__order"],
                    },
                ),
                migrations.CreateModel(
                    name="ProgressReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "period_start",
                            models.DateField(
                                validators=[havering_improve.validators.validate_plausible_date]
                            ),
                        ),
                        (
                            "period_end",
                            models.DateField(
                                validators=[havering_improve.validators.validate_plausible_date]
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("building", "Building"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="building",
                                max_length=10,
                            ),
                        ),
                        ("error", models.TextField(blank=True)),
                        (
                            "html",
                            models.FileField(blank=True, upload_to=board.models.report_file_path),
                        ),
                        (
                            "pdf",
                            models.FileField(blank=True, upload_to=board.models.report_file_path),
                        ),
                        ("snapshot", models.JSONField(blank=True, null=True)),
                        ("snapshot_sha256", models.CharField(blank=True, max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("generated_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "schedule",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="reporting.reportschedule",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "board_progressreport",
                        "ordering": ["-period_start"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalProgressReport",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "period_start",
                            models.DateField(
                                validators=[havering_improve.validators.validate_plausible_date]
                            ),
                        ),
                        (
                            "period_end",
                            models.DateField(
                                validators=[havering_improve.validators.validate_plausible_date]
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("building", "Building"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="building",
                                max_length=10,
                            ),
                        ),
                        ("error", models.TextField(blank=True)),
                        ("html", models.TextField(blank=True, max_length=100)),
                        ("pdf", models.TextField(blank=True, max_length=100)),
                        ("snapshot", models.JSONField(blank=True, null=True)),
                        ("snapshot_sha256", models.CharField(blank=True, max_length=64)),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("generated_at", models.DateTimeField(blank=True, null=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "schedule",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="reporting.reportschedule",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical progress report",
                        "verbose_name_plural": "historical progress reports",
                        "db_table": "board_historicalprogressreport",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="MeetingPack",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.PositiveSmallIntegerField(default=1)),
                        (
                            "reason",
                            models.TextField(blank=True, help_text="Why this version was issued."),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("building", "Building"),
                                    ("ready", "Ready"),
                                    ("failed", "Failed"),
                                    ("published", "Published"),
                                ],
                                default="building",
                                max_length=10,
                            ),
                        ),
                        ("build_attempt", models.PositiveIntegerField(default=1)),
                        ("error", models.TextField(blank=True)),
                        (
                            "html",
                            models.FileField(blank=True, upload_to=board.models.pack_file_path),
                        ),
                        (
                            "pdf",
                            models.FileField(blank=True, upload_to=board.models.pack_file_path),
                        ),
                        ("snapshot", models.JSONField(blank=True, null=True)),
                        ("snapshot_sha256", models.CharField(blank=True, max_length=64)),
                        ("pdf_sha256", models.CharField(blank=True, max_length=64)),
                        ("built_at", models.DateTimeField(blank=True, null=True)),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "board_told_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="When board members were e-mailed that it is published.",
                                null=True,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="packs",
                                to="board.meeting",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "board_meetingpack",
                        "ordering": ["meeting", "-version"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("meeting", "version"), name="pack_version_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReminderSent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("ahead", "Before the deadline"),
                                    ("deadline", "On the deadline day"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("recipient", models.EmailField(max_length=254)),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to="board.meeting",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="themes.theme",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "reminder sent",
                        "verbose_name_plural": "reminders sent",
                        "db_table": "board_remindersent",
                        "ordering": ["-sent_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("meeting", "theme", "kind"), name="reminder_sent_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReportDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("recipient", models.EmailField(max_length=254)),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="reporting.progressreport",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "report delivery",
                        "verbose_name_plural": "report deliveries",
                        "db_table": "board_reportdelivery",
                        "ordering": ["report", "recipient"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("report", "recipient"), name="report_delivery_unique"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="progressreport",
                    constraint=models.UniqueConstraint(
                        fields=("schedule", "period_start"), name="progress_report_period_unique"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_reporting, content_types_to_board),
    ]
