import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from havering_improve.uploads import KIND_EXTENSIONS
from havering_improve.validators import single_line, validate_plausible_date
from programme.models import Programme


class Theme(models.Model):
    """A cross-cutting improvement theme, led by one senior manager with a team."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="themes")
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200, validators=single_line("Title"))
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

    def part_url(self, part: str) -> str:
        """The address of one part of the theme's page (its PID is the page itself)."""
        if part == "pid":
            return self.get_absolute_url()
        return reverse("themes:section", args=[self.slug, part])


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
    due_date = models.DateField(validators=[validate_plausible_date])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "due_date", "pk"]
        indexes = [models.Index(fields=["theme", "status", "due_date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:milestone", kwargs={"slug": self.theme.slug, "pk": self.pk})

    def clean(self):
        if self.completed_on and self.status != self.Status.DONE:
            raise ValidationError(
                {"completed_on": "Only a milestone that is done has a completion date"}
            )

    def is_overdue(self, today=None) -> bool:
        """Due before today and not done."""
        today = today or timezone.localdate()
        return self.status != self.Status.DONE and self.due_date < today


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
    baseline_date = models.DateField(validators=[validate_plausible_date])
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    target_date = models.DateField(validators=[validate_plausible_date])
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themes:measure", kwargs={"slug": self.theme.slug, "pk": self.pk})

    def clean(self):
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            raise ValidationError(
                {"target_date": "The target date must be after the baseline date"}
            )
        if self.unit == self.Unit.PERCENT:
            for field in ("baseline_value", "target_value"):
                value = getattr(self, field)
                if value is not None and not (0 <= value <= 100):
                    raise ValidationError({field: "A percentage must be between 0 and 100"})


class MeasureReading(models.Model):
    """One value of a measure on a date. `source` says where it came from (e.g. an audit)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    date = models.DateField(validators=[validate_plausible_date])
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
    review_date = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
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

    def snapshot(self) -> dict:
        """The risk as plain data, as an approved PID and a board pack keep it."""
        return {
            "kind": self.get_kind_display(),
            "description": self.description,
            "score": self.score,
            "owner": self.owner,
            "mitigation": self.mitigation,
        }

    def clean(self):
        errors = {}
        for field in ("likelihood", "impact"):
            value = getattr(self, field)
            if value is not None and not (1 <= value <= 5):
                errors[field] = f"{field.capitalize()} must be a whole number from 1 to 5"
        if errors:
            raise ValidationError(errors)


class HighlightReport(models.Model):
    """A theme's monthly highlight report. Submitted reports are locked; a correction is a new
    revision of the same period with its reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="highlight_reports")
    period = models.DateField(
        help_text="The first day of the reporting month.", validators=[validate_plausible_date]
    )
    revision = models.PositiveSmallIntegerField(default=1)
    revision_reason = models.TextField("Reason for the correction", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_rag = models.CharField("Overall status", max_length=10, choices=RAG.choices, blank=True)
    overall_reason = models.TextField("Reason for the overall status", blank=True)
    status_summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    # The six areas a highlight report rates, each with its reason.
    time_rag = models.CharField("Time", max_length=10, choices=RAG.choices, blank=True)
    time_reason = models.TextField("Reason for the time rating", blank=True)
    cost_rag = models.CharField("Cost", max_length=10, choices=RAG.choices, blank=True)
    cost_reason = models.TextField("Reason for the cost rating", blank=True)
    scope_rag = models.CharField("Scope", max_length=10, choices=RAG.choices, blank=True)
    scope_reason = models.TextField("Reason for the scope rating", blank=True)
    quality_rag = models.CharField("Quality", max_length=10, choices=RAG.choices, blank=True)
    quality_reason = models.TextField("Reason for the quality rating", blank=True)
    benefits_rag = models.CharField("Benefits", max_length=10, choices=RAG.choices, blank=True)
    benefits_reason = models.TextField("Reason for the benefits rating", blank=True)
    risk_rag = models.CharField("Risk", max_length=10, choices=RAG.choices, blank=True)
    risk_reason = models.TextField("Reason for the risk rating", blank=True)
    achievements = models.TextField("Achievements this period", blank=True)
    next_period = models.TextField("Planned for next period", blank=True)
    path_to_green = models.TextField("Path to green", blank=True)
    key_risks_issues = models.TextField("Key risks and issues", blank=True)
    decisions_needed = models.TextField("Decisions needed from the Board", blank=True)
    lessons = models.TextField("Lessons learned", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    AREAS = ["time", "cost", "scope", "quality", "benefits", "risk"]
    # What the lead writes: the ratings with their reasons, the summary and the sections.
    CONTENT_FIELDS = [
        "overall_rag",
        "overall_reason",
        "status_summary",
        *[f"{area}_{part}" for area in AREAS for part in ("rag", "reason")],
        "achievements",
        "next_period",
        "path_to_green",
        "key_risks_issues",
        "decisions_needed",
        "lessons",
    ]

    class Meta:
        ordering = ["theme", "-period", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "period", "revision"], name="highlight_report_revision_unique"
            )
        ]

    def __str__(self):
        return f"{self.theme} — {self.period:%B %Y} (revision {self.revision})"

    def clean(self):
        errors = {}
        if self.overall_rag in (RAG.RED, RAG.AMBER) and not self.overall_reason.strip():
            errors["overall_reason"] = (
                f"Give the reason the overall status is {RAG(self.overall_rag).label.lower()}"
            )
        for key in self.AREAS:
            rag = getattr(self, f"{key}_rag")
            if rag in (RAG.RED, RAG.AMBER) and not getattr(self, f"{key}_reason").strip():
                errors[f"{key}_reason"] = f"Give the reason {key} is rated {RAG(rag).label.lower()}"
        if errors:
            raise ValidationError(errors)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def needs_path_to_green(self) -> bool:
        """Rated amber or red, overall or in any area: the report says how it gets to green."""
        ratings = [self.overall_rag, *(getattr(self, f"{key}_rag") for key in self.AREAS)]
        return any(rag in (RAG.RED, RAG.AMBER) for rag in ratings)

    @property
    def all_green(self) -> bool:
        ratings = [self.overall_rag, *(getattr(self, f"{key}_rag") for key in self.AREAS)]
        return all(rag == RAG.GREEN for rag in ratings)

    def areas(self) -> list[dict]:
        """The six rated areas as (key, label, rag, rag label, reason) for templates."""
        rows = []
        for key in self.AREAS:
            field = self._meta.get_field(f"{key}_rag")
            rag = getattr(self, f"{key}_rag")
            rows.append(
                {
                    "key": key,
                    "label": field.verbose_name,
                    "rag": rag,
                    "rag_label": RAG(rag).label if rag else "Not rated",
                    "reason": getattr(self, f"{key}_reason"),
                }
            )
        return rows


# --- Project initiation documents -------------------------------------------------------------


class PID(models.Model):
    """A theme's project initiation document as it is being worked on (the one draft).

    Approving it freezes a numbered `PIDVersion`; editing an approved PID makes it a draft again,
    so the approved versions are never changed after the fact.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        RETURNED = "returned", "Returned with comments"
        APPROVED = "approved", "Approved"

    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="pid")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    aims = models.TextField(blank=True)
    scope = models.TextField(blank=True)
    deliverables = models.TextField(blank=True, help_text="What the theme delivers, one a line.")
    outcomes = models.TextField(blank=True)
    partners = models.TextField(blank=True, help_text="The partners the theme works with.")
    governance = models.TextField(
        blank=True, help_text="How the theme is run: who decides, meetings, reporting lines."
    )
    dependencies = models.TextField(blank=True)
    review_comments = models.TextField(
        blank=True, help_text="The programme manager's comments when the PID was returned."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    TEXT_FIELDS = [
        "aims",
        "scope",
        "deliverables",
        "outcomes",
        "partners",
        "governance",
        "dependencies",
    ]
    # The fields the programme's data file sets from the plan (see portfolio/loader.py).
    PLAN_FIELDS = ["aims", "scope", "deliverables", "partners"]

    class Meta:
        verbose_name = "PID"
        verbose_name_plural = "PIDs"

    def __str__(self):
        return f"PID for {self.theme}"


class PIDVersion(models.Model):
    """An approved PID, frozen: its text plus a snapshot of the measures, milestones, risks and
    team as they stood when the programme manager approved it."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="pid_versions")
    number = models.PositiveIntegerField()
    aims = models.TextField(blank=True)
    scope = models.TextField(blank=True)
    deliverables = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    partners = models.TextField(blank=True)
    governance = models.TextField(blank=True)
    dependencies = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approval_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "-number"]
        verbose_name = "approved PID version"
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="pid_version_unique")
        ]

    def __str__(self):
        return f"PID for {self.theme}, version {self.number}"


# --- Comments and evidence --------------------------------------------------------------------


def _attached_to(*, related_name: str):
    """The fields of something added to a theme: the theme, and optionally the one milestone or
    measure of it that it is about."""
    return (
        models.ForeignKey(Theme, on_delete=models.CASCADE, related_name=related_name),
        *(
            models.ForeignKey(
                model, on_delete=models.CASCADE, null=True, blank=True, related_name=related_name
            )
            for model in (Milestone, Measure)
        ),
    )


class Comment(models.Model):
    """A team member's comment on a theme, or on one of its milestones or measures."""

    theme, milestone, measure = _attached_to(related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.body[:80]


def evidence_upload_to(instance, filename):
    # The stored name is ours, never the uploader's, so nothing in it can traverse or collide.
    # Stored under the extension of what the content was checked to be, not what its name said.
    extension = KIND_EXTENSIONS.get(instance.kind, "bin")
    return f"evidence/{instance.theme.slug}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A file attached to a theme, milestone or measure as evidence (PDF, DOCX, XLSX, image)."""

    theme, milestone, measure = _attached_to(related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, help_text="What the content was checked to be.")
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.title
