"""What the Board is sent: meeting packs, the highlight-report reminders sent for them, and
progress reports to other bodies with their schedules and deliveries. The tables keep the names
they were made with in the board app (`db_table`), so their rows and history stay where they
are."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from board.models import Board, Meeting, pack_file_path, report_file_path
from havering_improve.validators import validate_plausible_date
from themes.models import Theme


class MeetingPack(models.Model):
    """The pack for one meeting, in numbered versions. A published version is frozen: its
    rendered HTML and PDF and its data snapshot are stored with checksums and never rebuilt."""

    class Status(models.TextChoices):
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    version = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField(blank=True, help_text="Why this version was issued.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    build_attempt = models.PositiveIntegerField(default=1)
    error = models.TextField(blank=True)
    html = models.FileField(upload_to=pack_file_path, blank=True)
    pdf = models.FileField(upload_to=pack_file_path, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    board_told_at = models.DateTimeField(
        null=True, blank=True, help_text="When board members were e-mailed that it is published."
    )
    history = HistoricalRecords(table_name="board_historicalmeetingpack")

    class Meta:
        db_table = "board_meetingpack"
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="pack_version_unique")
        ]

    def __str__(self):
        return f"Pack for {self.meeting} (version {self.version})"

    def get_absolute_url(self):
        return reverse("board:pack", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ReminderSent(models.Model):
    """A highlight-report reminder sent to a lead. Unique, so a second run of the job sends none."""

    class Kind(models.TextChoices):
        AHEAD = "ahead", "Before the deadline"
        DEADLINE = "deadline", "On the deadline day"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "board_remindersent"
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "theme", "kind"], name="reminder_sent_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.theme}, {self.meeting}"


class ReportSchedule(models.Model):
    """A scheduled progress report to a reporting body: how often, what it holds, who gets it."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class Section(models.TextChoices):
        OVERVIEW = "overview", "Programme overview (RAG by theme)"
        MILESTONES = "milestones", "Overdue milestones"
        RISKS = "risks", "Escalated risks"
        DECISIONS = "decisions", "Board decisions in the period"
        ACTIONS = "actions", "Open board actions"

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="report_schedule")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    send_day = models.PositiveSmallIntegerField(
        default=5, help_text="Day of the month after each period ends when the report goes out."
    )
    sections = models.JSONField(default=list)
    recipients = models.TextField(help_text="Email addresses, one a line.")
    first_period = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text="The scheduled job makes every report due from the period containing this "
        "date that has not been made yet. Leave blank to start with the next report due.",
    )
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(table_name="board_historicalreportschedule")

    class Meta:
        db_table = "board_reportschedule"
        ordering = ["board__order"]

    def __str__(self):
        return f"{self.get_frequency_display()} report to {self.board}"

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ProgressReport(models.Model):
    """One report to a body for one period. Unique per period: beat running twice makes one."""

    class Status(models.TextChoices):
        BUILDING = "building", "Building"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(validators=[validate_plausible_date])
    period_end = models.DateField(validators=[validate_plausible_date])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    error = models.TextField(blank=True)
    html = models.FileField(upload_to=report_file_path, blank=True)
    pdf = models.FileField(upload_to=report_file_path, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="board_historicalprogressreport")

    class Meta:
        db_table = "board_progressreport"
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start"], name="progress_report_period_unique"
            )
        ]

    def __str__(self):
        return f"{self.schedule.board} report, {self.period_start:%B %Y}"


class ReportDelivery(models.Model):
    """Who a report was emailed to and when. Unique per recipient, so no one gets it twice."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "board_reportdelivery"
        verbose_name = "report delivery"
        verbose_name_plural = "report deliveries"
        ordering = ["report", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="report_delivery_unique")
        ]

    def __str__(self):
        return f"{self.report} to {self.recipient}"
