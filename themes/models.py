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
