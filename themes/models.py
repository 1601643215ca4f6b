from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Programme(models.Model):
    """An improvement programme: one local authority's plan after an inspection."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    local_authority = models.CharField(max_length=200)
    service = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    source_document = models.CharField(
        max_length=300, blank=True, help_text="The decision that set the programme up."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A cross-cutting improvement theme, led by one senior manager with a team."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="themes")
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    report_reference = models.CharField(
        max_length=40, blank=True, help_text="Where the theme is set out, e.g. §2.3"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_themes",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="theme_number_unique")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:detail", kwargs={"slug": self.slug})


class TeamMembership(models.Model):
    """A person on a theme's team: practitioners, managers and partner representatives."""

    class Kind(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        MANAGER = "manager", "Manager"
        PARTNER = "partner", "Partner representative"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_memberships"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRACTITIONER)
    organisation = models.CharField(
        max_length=200, blank=True, help_text="For partners: health, education, police…"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "kind", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["theme", "user"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} on {self.theme}"


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DONE = "done", "Done"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "due_date", "pk"]
        indexes = [models.Index(fields=["theme", "status", "due_date"])]

    def __str__(self):
        return self.title


class Measure(models.Model):
    """A measure of success: how the theme will know it is working."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        SCORE = "score", "Score"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(max_digits=12, decimal_places=2)
    baseline_date = models.DateField()
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    target_date = models.DateField()
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "order", "pk"]

    def __str__(self):
        return self.name


class MeasureReading(models.Model):
    """One value of a measure on a date. `source` says where it came from (e.g. an audit)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    date = models.DateField()
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "date", "pk"]
        indexes = [models.Index(fields=["measure", "date"])]

    def __str__(self):
        return f"{self.measure}: {self.value} on {self.date:%d/%m/%Y}"


class Risk(models.Model):
    """An entry in the theme's RAID log: a risk or an issue."""

    class Kind(models.TextChoices):
        RISK = "risk", "Risk"
        ISSUE = "issue", "Issue"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RISK)
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain)")
    impact = models.PositiveSmallIntegerField(help_text="1 (minimal) to 5 (severe)")
    owner = models.CharField(max_length=200, blank=True)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    review_date = models.DateField(null=True, blank=True)
    escalated = models.BooleanField(default=False, help_text="Escalated to the programme.")
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "-escalated", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class HighlightReport(models.Model):
    """A theme's monthly highlight report. Submitted reports are locked; a correction is a new
    revision of the same period with its reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="highlight_reports")
    period = models.DateField(help_text="The first day of the reporting month.")
    revision = models.PositiveSmallIntegerField(default=1)
    revision_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_rag = models.CharField(max_length=10, choices=RAG.choices, blank=True)
    overall_reason = models.TextField(blank=True)
    status_summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "-period", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "period", "revision"], name="highlight_report_revision_unique"
            )
        ]

    def __str__(self):
        return f"{self.theme} — {self.period:%B %Y} (revision {self.revision})"
