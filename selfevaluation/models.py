"""The annual self-evaluation a programme shares with its inspectorate, written from the
programme's own evidence, and the annual engagement meeting where it is discussed.

A self-evaluation has a section per judgement area of the programme's framework, then one for the
whole. Each section answers Ofsted's three questions: what we know (claims: strengths and areas
for improvement, each linked to evidence), how we know it (evidence items gathered from the
programme's data, kept, dropped or ordered by the programme manager) and our plans for the next
twelve months. Submitting it for review and signing it off each freeze a numbered version.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from evaluation.models import JudgementArea
from havering_improve.validators import validate_plausible_date
from programme.models import Programme
from themes.models import Measure

YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def validate_year(value: str) -> None:
    """A year as "2026/27": the second part is the year after the first."""
    match = YEAR.match(value or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError("Enter the year as two years one after the other, like 2026/27.")


def next_year(value: str) -> str:
    start = int(value[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


class SignOffGrant(models.Model):
    """The "Sign-off" permission: who may sign off the programme's self-evaluation (typically
    the Director of Children's Services). The programme manager grants and withdraws it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sign_offs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_off_grants"
    )
    role_title = models.CharField(
        max_length=200, help_text="Their post, as the document names them."
    )
    granted_on = models.DateField(validators=[validate_plausible_date])
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="sign_off_grant_once")
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}, {self.role_title}"


class SelfEvaluation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SIGNED_OFF = "signed_off", "Signed off"

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="self_evaluations"
    )
    year = models.CharField(max_length=7, validators=[validate_year], help_text="e.g. 2026/27")
    as_of = models.DateField(
        "Evidence up to",
        validators=[validate_plausible_date],
        help_text="Only evidence dated on or before this day is gathered.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_evaluations_to_sign",
        help_text="The senior officer who signs it off (they hold the Sign-off permission).",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_years"
    )
    review_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="self_evaluation_per_year")
        ]

    def __str__(self):
        return f"Self-evaluation {self.year}"

    def get_absolute_url(self):
        return reverse("selfevaluation:detail", kwargs={"pk": self.pk})

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.SIGNED_OFF


class Section(models.Model):
    """A judgement area's part of the self-evaluation, or the whole (`is_whole`)."""

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="sections"
    )
    area = models.ForeignKey(
        JudgementArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_whole = models.BooleanField(default=False)
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    what_we_know = models.TextField(
        "What do we know?", blank=True, help_text="An introduction to the strengths and areas."
    )
    how_we_know = models.TextField(
        "How do we know it?", blank=True, help_text="An introduction to the evidence."
    )
    plans = models.TextField(
        "What are our plans for the next 12 months?",
        blank=True,
        help_text="An introduction to the plans.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["self_evaluation", "order", "pk"]

    def __str__(self):
        return self.title


class EvidenceItem(models.Model):
    """A short factual statement the service writes from the programme's data, linked to its
    source. `source_key` names the record it was written from, so gathering again refreshes the
    statement and keeps what the programme manager decided about it."""

    class Kind(models.TextChoices):
        AUDIT = "audit", "Audit"
        FINDING = "finding", "Finding"
        RECOMMENDATION = "recommendation", "Recommendation"
        FEEDBACK = "feedback", "Feedback"
        CHALLENGE = "challenge", "Peer review, independent challenge or visit"
        MEASURE = "measure", "Measure"
        RAG = "rag", "Theme status"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_key = models.CharField(max_length=80)
    statement = models.TextField()
    link = models.CharField(max_length=300)
    dated = models.DateField(validators=[validate_plausible_date])
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kept = models.BooleanField("Keep it in the self-evaluation", default=True)
    order = models.PositiveSmallIntegerField(default=0)
    narrative = models.TextField(blank=True, help_text="What it shows, in your words.")
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["section", "source_key"], name="evidence_once")
        ]

    def __str__(self):
        return self.statement[:80]


class Claim(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        AREA_FOR_IMPROVEMENT = "afi", "Area for improvement"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sentence = models.TextField()
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="claims")
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["section", "kind", "order", "pk"]

    def __str__(self):
        return self.sentence[:80]


class PlanItem(models.Model):
    class Source(models.TextChoices):
        AIM = "aim", "A theme's aim"
        MILESTONE = "milestone", "A milestone due"
        RECOMMENDATION = "recommendation", "An open recommendation"
        WRITTEN = "written", "Written here"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="plan_items")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WRITTEN)
    source_key = models.CharField(max_length=80, blank=True)
    text = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    kept = models.BooleanField("Keep it in the plans", default=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order", "due", "pk"]

    def __str__(self):
        return self.text[:80]


class FrozenVersion(models.Model):
    """A numbered copy of the self-evaluation as it stood when submitted for review or signed
    off. Never changed once made; documents are drawn from its snapshot."""

    class Kind(models.TextChoices):
        FOR_REVIEW = "for_review", "Submitted for review"
        SIGNED_OFF = "signed_off", "Signed off"

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    made_on = models.DateField()
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["self_evaluation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "number"], name="frozen_version_number"
            )
        ]

    def __str__(self):
        return f"{self.self_evaluation} version {self.number}"

    def get_absolute_url(self):
        return reverse("selfevaluation:version", kwargs={"pk": self.pk})


def _letter_path(instance, filename):
    return f"selfevaluation/letters/{instance.pk or 'new'}/{filename}"


class EngagementMeeting(models.Model):
    """The annual engagement meeting with Ofsted, where the self-evaluation is discussed."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="engagement_meetings"
    )
    self_evaluation = models.ForeignKey(
        SelfEvaluation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_meetings",
    )
    date = models.DateField(validators=[validate_plausible_date])
    attendees = models.TextField(help_text="Who attended, one a line, with their post.")
    notes = models.TextField(blank=True)
    letter = models.FileField(upload_to=_letter_path, max_length=300, blank=True)
    letter_name = models.CharField(max_length=200, blank=True)
    letter_kind = models.CharField(max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"Annual engagement meeting, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("selfevaluation:meeting", kwargs={"pk": self.pk})


class EngagementAction(models.Model):
    """An action arising from the annual engagement meeting, tracked like a board action."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    meeting = models.ForeignKey(EngagementMeeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagement_actions"
    )
    due_date = models.DateField(validators=[validate_plausible_date])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("selfevaluation:action", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE

    def is_overdue(self, on) -> bool:
        return self.is_open and self.due_date < on
