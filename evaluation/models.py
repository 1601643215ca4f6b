from django.db import models
from simple_history.models import HistoricalRecords

from themes.models import Programme


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
    history = HistoricalRecords()

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
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_baseline = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-start_date"]

    def __str__(self):
        return self.title


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
