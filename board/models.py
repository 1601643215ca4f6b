from django.db import models
from simple_history.models import HistoricalRecords

from themes.models import Programme


class Board(models.Model):
    """A governance body: the Improvement Board itself, or a body that receives progress updates."""

    class Kind(models.TextChoices):
        IMPROVEMENT_BOARD = "improvement_board", "Improvement board"
        REPORTING_BODY = "reporting_body", "Receives progress updates"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="boards")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
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
