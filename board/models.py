from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from havering_improve.validators import single_line, validate_plausible_date
from programme.models import Programme
from themes.models import Theme


class Board(models.Model):
    """A governance body: the Improvement Board itself, or a body that receives progress updates."""

    class Kind(models.TextChoices):
        IMPROVEMENT_BOARD = "improvement_board", "Improvement board"
        REPORTING_BODY = "reporting_body", "Receives progress updates"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="boards")
    slug = models.SlugField()
    name = models.CharField(max_length=200, validators=single_line("Name"))
    short_name = models.CharField(max_length=40, blank=True, validators=single_line("Short name"))
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    themes_per_meeting = models.PositiveSmallIntegerField(
        default=0, help_text="How many themes each meeting focuses on (its rota)."
    )
    is_public = models.BooleanField(
        default=False, help_text="Public bodies do not receive items marked restricted."
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="board_slug_unique")
        ]

    def __str__(self):
        return self.name


# Where a pack's and a progress report's files are stored (`reporting.models`); named here, where
# the migrations that made those tables first look them up.
def pack_file_path(instance, filename):
    return f"board/packs/{instance.meeting_id}/v{instance.version}/{filename}"


def report_file_path(instance, filename):
    return f"board/reports/{instance.schedule_id}/{instance.period_start:%Y-%m}/{filename}"


class BoardSettings(models.Model):
    """How far ahead the board's packs and reminders run. One row per board, made on demand."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="settings")
    pack_days_before = models.PositiveSmallIntegerField(
        default=7, help_text="The pack is built this many days before each meeting."
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="Leads are reminded this many working days before the pack deadline.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "board settings"
        verbose_name_plural = "board settings"

    def __str__(self):
        return f"Settings for {self.board}"


class Meeting(models.Model):
    """One meeting of a board, in its calendar."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(validators=[validate_plausible_date])
    start_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True, validators=single_line("Venue"))
    online_link = models.URLField(blank=True, help_text="Teams or other online meeting link.")
    chair = models.CharField(max_length=200, blank=True, validators=single_line("Chair"))
    minutes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    # What calendars know the meeting by (RFC 5545): SEQUENCE goes up and LAST-MODIFIED moves
    # whenever its time, place or focus changes, so Outlook takes an update for the newer one.
    sequence = models.PositiveIntegerField(
        "calendar revision",
        default=0,
        help_text="Calendar revision: up by one when the time, place or focus changes.",
    )
    calendar_changed_at = models.DateTimeField(
        "calendar updated",
        default=timezone.now,
        help_text="When the time, place or focus last changed.",
    )
    cancelled_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the meeting is cancelled; it stays on record."
    )
    # Who holds the invitation in their calendar, and at which sequence ({"sequence": n, "to":
    # [e-mail addresses]}): what the invitations sent last said, so a redelivered task sends
    # nothing and a lead who leaves the focus is sent a cancellation of their own. Bookkeeping
    # of the e-mail, not programme data: kept out of the history.
    invitations = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["invitations"])

    class Meta:
        ordering = ["board", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "date"],
                condition=models.Q(cancelled_at__isnull=True),
                name="meeting_board_date_unique",
            )
        ]

    def __str__(self):
        return f"{self.board.short_name or self.board.name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("board:meeting", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class RotaSlot(models.Model):
    """A focus theme at a meeting. Written by the rota task; every change is in the history."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slots")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="rota_slots")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "theme__number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "theme"], name="rota_slot_unique")
        ]

    def __str__(self):
        return f"{self.theme} at {self.meeting}"


class RotaPin(models.Model):
    """A theme put in focus at a meeting (or kept off it) by hand; the rota keeps to it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pins")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="rota_pins")
    in_focus = models.BooleanField(help_text="True: pinned to the meeting. False: kept off it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "theme__number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "theme"], name="rota_pin_unique")]

    def __str__(self):
        return f"{self.theme} {'pinned to' if self.in_focus else 'kept off'} {self.meeting}"


class RotaRun(models.Model):
    """A request to (re)plan the rota. The task works on one run once; a redelivery is a no-op."""

    class Status(models.TextChoices):
        PENDING = "pending", "Planning"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="rota_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    plan = models.JSONField(
        null=True,
        blank=True,
        help_text="The previewed and confirmed plan: per meeting, its focus themes before and "
        "after. Empty: plan afresh when the run is worked.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Rota run {self.pk} ({self.get_status_display()})"


class Decision(models.Model):
    """A decision of the Board, recorded at its meeting. A decision a lead asked for in their
    highlight report ("Decisions needed from the Board") is answered: agreed, declined or
    deferred, with any conditions; the lead is told on their home page and by e-mail."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"
        DEFERRED = "deferred", "Deferred"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    restricted = models.BooleanField(
        default=False, help_text="Left out of reports to public bodies."
    )
    report = models.ForeignKey(
        "themes.HighlightReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The highlight report that asked the Board for this decision.",
    )
    asked = models.TextField(
        blank=True, help_text="What the lead asked the Board, as the pack showed it."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    conditions = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    lead_told_at = models.DateTimeField(
        null=True, blank=True, help_text="When the lead who asked was e-mailed the answer."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.text[:80]


class Action(models.Model):
    """An action from a meeting. It carries forward into each pack until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_actions"
    )
    due_date = models.DateField(validators=[validate_plausible_date])
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="board_actions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    restricted = models.BooleanField(
        default=False, help_text="Left out of reports to public bodies."
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    owner_told_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the owner was e-mailed it (once)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE

    def is_overdue(self, on=None) -> bool:
        """Due before `on` (default today) and still open."""
        return self.is_open and self.due_date < (on or timezone.localdate())
