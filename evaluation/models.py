import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from havering_improve.clock import today
from havering_improve.validators import validate_plausible_date
from programme.models import Programme
from themes.models import MeasureReading, Milestone, Risk, Theme


class OfstedGrade(models.TextChoices):
    """Ofsted's four-point scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class EvaluationStrand(models.Model):
    """A strand of the programme's evaluation framework, e.g. "Feedback from staff"."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="strands")
    code = models.CharField(max_length=10, help_text="As lettered in the plan: a, b, c…")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="strand_slug_unique")
        ]

    def __str__(self):
        return self.title


class JudgementArea(models.Model):
    """An area an inspection framework judges, e.g. ILACS "Overall effectiveness"."""

    framework = models.CharField(max_length=40, default="ILACS")
    slug = models.SlugField()
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    is_overall = models.BooleanField(default=False)
    # Which themes answer this area: the readiness view gathers their evidence under it.
    themes = models.ManyToManyField(Theme, blank=True, related_name="judgement_areas")
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="judgement_area_unique")
        ]

    def __str__(self):
        return self.title


class Inspection(models.Model):
    """An inspection or visit; the programme's baseline is one of these."""

    class Kind(models.TextChoices):
        ILACS = "ilacs", "ILACS inspection"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    inspector = models.CharField(max_length=100, default="Ofsted")
    start_date = models.DateField(validators=[validate_plausible_date])
    end_date = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    is_baseline = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    activity = models.OneToOneField(
        "EvaluationActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection",
        help_text="The evaluation activity under which this visit was planned, if any.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-start_date"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:inspection_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The end date must be the same as or after the start date."}
            )
        if self.start_date and self.start_date > timezone.localdate():
            raise ValidationError(
                {"start_date": "Record an inspection or visit once it has started."}
            )


class Judgement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="judgements")
    grade = models.CharField(max_length=30, choices=OfstedGrade.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "area__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="judgement_unique")
        ]

    def __str__(self):
        return f"{self.area}: {self.get_grade_display()}"


# --- The evaluation plan and its results -------------------------------------------------------


class ActivityKind(models.TextChoices):
    """What kind of evidence an activity produces; decides which results can be recorded."""

    QA_AUDIT = "qa_audit", "QA audit or practice week"
    STAFF_FEEDBACK = "staff_feedback", "Feedback from staff"
    SERVICE_USER_FEEDBACK = "service_user_feedback", "Feedback from service users"
    PEER_REVIEW = "peer_review", "Peer review"
    INDEPENDENT_CHALLENGE = "independent_challenge", "Independent auditor challenge"
    OFSTED_VISIT = "ofsted_visit", "Ofsted visit"
    OTHER = "other", "Other"


FEEDBACK_KINDS = {ActivityKind.STAFF_FEEDBACK, ActivityKind.SERVICE_USER_FEEDBACK}


class EvaluationActivity(models.Model):
    """A planned piece of evaluation under one strand: an audit, a survey, a peer review…"""

    class Status(models.TextChoices):
        DONE = "done", "Done"
        DUE = "due", "Due"
        OVERDUE = "overdue", "Overdue"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="activities")
    strand = models.ForeignKey(
        EvaluationStrand, on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_date = models.DateField(validators=[validate_plausible_date])
    end_date = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    completed_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_evaluation_activities",
    )
    lead_name = models.CharField(
        max_length=200, blank=True, help_text="Who leads it, when not a user of this service."
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="evaluation_activities")
    partner_authorities = models.TextField(
        blank=True, help_text="For a peer review: the partner local authorities, one a line."
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["programme", "start_date", "pk"]
        indexes = [models.Index(fields=["programme", "start_date"])]
        verbose_name_plural = "evaluation activities"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:activity_detail", kwargs={"pk": self.pk})

    @property
    def due_date(self) -> dt.date:
        return self.end_date or self.start_date

    @property
    def partners(self) -> list[str]:
        return [line.strip() for line in self.partner_authorities.splitlines() if line.strip()]

    @property
    def lead_display(self) -> str:
        if self.lead_id:
            return self.lead.get_full_name() or self.lead.username
        return self.lead_name

    def status_on(self, today: dt.date) -> str:
        if self.completed_on:
            return self.Status.DONE
        return self.Status.OVERDUE if self.due_date < today else self.Status.DUE

    @property
    def status(self) -> str:
        return self.status_on(today())

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_audit(self) -> bool:
        return self.kind == ActivityKind.QA_AUDIT

    @property
    def is_feedback(self) -> bool:
        return self.kind in FEEDBACK_KINDS

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date."
        if self.completed_on:
            if self.completed_on > today:
                errors["completed_on"] = (
                    "The date it was completed must be today or in the past — an activity "
                    "cannot be completed in the future."
                )
            elif self.start_date and self.completed_on < self.start_date:
                errors["completed_on"] = "The date it was completed must be after it started."
        if self.kind == ActivityKind.PEER_REVIEW and not self.partners:
            errors["partner_authorities"] = (
                "Enter at least one partner local authority — a peer review involves another "
                "authority."
            )
        if self.strand_id and self.programme_id and self.strand.programme_id != self.programme_id:
            errors["strand"] = "Select a strand of this programme's evaluation framework."
        if errors:
            raise ValidationError(errors)


class AuditResult(models.Model):
    """The grades from a QA audit for one theme: counts on Ofsted's four-point scale.

    The counts add up to the cases audited; the percentage good or better is always computed.
    """

    activity = models.ForeignKey(
        EvaluationActivity, on_delete=models.CASCADE, related_name="audit_results"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="audit_results")
    date = models.DateField(
        help_text="When the audit's grades were agreed.", validators=[validate_plausible_date]
    )
    cases_audited = models.PositiveIntegerField()
    outstanding = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    requires_improvement = models.PositiveIntegerField(default=0)
    inadequate = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    measure_reading = models.OneToOneField(
        MeasureReading,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_result",
        help_text="The measure reading this audit fed, if any.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "-date", "-pk"]
        indexes = [models.Index(fields=["theme", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["activity", "theme"], name="audit_result_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    cases_audited=models.F("outstanding")
                    + models.F("good")
                    + models.F("requires_improvement")
                    + models.F("inadequate")
                ),
                name="audit_grades_add_up_to_cases",
            ),
        ]

    def __str__(self):
        return f"{self.activity} — {self.theme}"

    @property
    def graded(self) -> int:
        return self.outstanding + self.good + self.requires_improvement + self.inadequate

    @property
    def good_or_better(self) -> int:
        return self.outstanding + self.good

    @property
    def percent_good_or_better(self) -> Decimal | None:
        """Cases graded good or outstanding as a percentage of cases audited, to 1 place."""
        if not self.cases_audited:
            return None
        raw = Decimal(self.good_or_better * 100) / Decimal(self.cases_audited)
        return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def grade_counts(self) -> list[tuple[str, int]]:
        return [
            (OfstedGrade.OUTSTANDING.label, self.outstanding),
            (OfstedGrade.GOOD.label, self.good),
            (OfstedGrade.REQUIRES_IMPROVEMENT.label, self.requires_improvement),
            (OfstedGrade.INADEQUATE.label, self.inadequate),
        ]

    def clean(self):
        errors = {}
        if self.cases_audited is not None:
            if self.cases_audited == 0:
                errors["cases_audited"] = "Enter the number of cases audited — at least 1."
            elif self.graded > self.cases_audited:
                errors["cases_audited"] = (
                    f"The grades add up to {self.graded}, which is more than the "
                    f"{self.cases_audited} cases audited. Check the grades."
                )
            elif self.graded < self.cases_audited:
                errors["cases_audited"] = (
                    f"The grades add up to {self.graded}, which is fewer than the "
                    f"{self.cases_audited} cases audited. Every case audited needs a grade."
                )
        if self.date and self.date > timezone.localdate():
            errors["date"] = "The audit date must be today or in the past."
        if errors:
            raise ValidationError(errors)


class FeedbackResult(models.Model):
    """What staff or service users said in a feedback activity."""

    activity = models.OneToOneField(
        EvaluationActivity, on_delete=models.CASCADE, related_name="feedback"
    )
    responses = models.PositiveIntegerField(help_text="How many people responded.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="feedback_results")
    key_messages = models.TextField(help_text="The main things people said, one a line.")
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(m2m_fields=[themes])

    def __str__(self):
        return f"Feedback: {self.activity}"

    @property
    def messages(self) -> list[str]:
        return [line.strip() for line in self.key_messages.splitlines() if line.strip()]


class SurveyScore(models.Model):
    """One question's average score in a survey."""

    feedback = models.ForeignKey(FeedbackResult, on_delete=models.CASCADE, related_name="scores")
    question = models.CharField(max_length=300)
    score = models.DecimalField(max_digits=6, decimal_places=2)
    out_of = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("5"))
    responses = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["feedback", "order", "pk"]

    def __str__(self):
        return f"{self.question}: {self.score} out of {self.out_of}"


class Finding(models.Model):
    """A strength, area for improvement or recommendation from an activity, with the response."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
        RECOMMENDATION = "recommendation", "Recommendation"

    class Response(models.TextChoices):
        AWAITING = "awaiting", "Awaiting response"
        ACCEPTED = "accepted", "Accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    activity = models.ForeignKey(
        EvaluationActivity, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="findings")
    area = models.ForeignKey(
        JudgementArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        help_text="The inspection judgement area it bears on, if any.",
    )
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    response_note = models.TextField(blank=True)
    action_owner = models.CharField(max_length=200, blank=True)
    action_due = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    risk = models.ForeignKey(
        Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    recorded_on = models.DateField(default=timezone.localdate, validators=[validate_plausible_date])
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def needs_response(self) -> bool:
        return self.kind != self.Kind.STRENGTH

    @property
    def is_open(self) -> bool:
        if not self.needs_response or self.response == self.Response.NOT_ACCEPTED:
            return False
        if self.response == self.Response.AWAITING:
            return True
        return not (self.milestone_id and self.milestone.status == Milestone.Status.DONE)

    def clean(self):
        errors = {}
        if self.response == self.Response.ACCEPTED and self.needs_response:
            if not self.action_owner.strip():
                errors["action_owner"] = "Enter who owns the action — the finding is accepted."
            if not self.action_due:
                errors["action_due"] = "Enter when the action is due — the finding is accepted."
        if self.kind == self.Kind.STRENGTH and self.response != self.Response.AWAITING:
            errors["response"] = "A strength needs no response: leave it as awaiting response."
        if errors:
            raise ValidationError(errors)


def _evidence_path(instance, filename):
    return f"evaluation/evidence/{instance.finding_id}/{filename}"


class FindingEvidence(models.Model):
    """A file that evidences a finding (a report, an audit tool, a survey summary)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=300)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "uploaded_at", "pk"]
        verbose_name_plural = "finding evidence"

    def __str__(self):
        return self.name


class Recommendation(models.Model):
    """A recommendation from an inspection or visit, mapped to the themes that answer it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    area = models.ForeignKey(
        JudgementArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    themes = models.ManyToManyField(Theme, related_name="inspection_recommendations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["inspection", "order", "pk"]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.status == self.Status.MET and not self.met_on:
            raise ValidationError({"met_on": "Enter the date the recommendation was met."})
        if self.met_on and self.met_on > timezone.localdate():
            raise ValidationError({"met_on": "The date it was met must be today or in the past."})
