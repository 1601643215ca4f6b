from django.db import models
from simple_history.models import HistoricalRecords

from havering_improve.validators import validate_plausible_date


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
    review_due = models.DateField(
        "Review due",
        null=True,
        blank=True,
        help_text="When the programme is reviewed and evaluated (after its first year).",
        validators=[validate_plausible_date],
    )
    review_plan = models.TextField(
        "The review", blank=True, help_text="What the review decides, as the decision set it out."
    )
    roles_after_review = models.TextField(
        "Roles the service may fund after the review",
        blank=True,
        help_text="One a line: the programme's roles the service may fund itself once the "
        "review has decided which continue.",
    )
    # The tables keep the names they were made with, when the model lived with the themes.
    history = HistoricalRecords(table_name="themes_historicalprogramme")

    class Meta:
        db_table = "themes_programme"
        ordering = ["name"]

    def __str__(self):
        return self.name
