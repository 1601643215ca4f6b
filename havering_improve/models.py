from django.conf import settings
from django.db import models


class OutboxTask(models.Model):
    """A task that could not be queued because the broker was down. `outbox_sweep` queues it
    again when the broker is back; tasks are idempotent, so a late or repeated run is safe."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class DataVersion(models.Model):
    """One row per area of programme data: a number that goes up after every committed change
    in it. Cached summaries are keyed by the numbers of the areas they show (see
    `havering_improve.summaries`)."""

    area = models.CharField(max_length=100, unique=True)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Data version {self.area} {self.number}"


class CouncilIdentity(models.Model):
    """The council account (Microsoft Entra ID) a person signs in with, held by its immutable
    ids: the tenant and the object id (`oid`), or the subject (`sub`) where a provider sends no
    object id. The user name is kept for display only: it can change or pass to someone else."""

    OBJECT_ID = "oid"
    SUBJECT = "sub"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_identity"
    )
    tenant_id = models.CharField(max_length=64)
    subject_claim = models.CharField(
        max_length=3, choices=[(OBJECT_ID, "Object id (oid)"), (SUBJECT, "Subject (sub)")]
    )
    subject = models.CharField(max_length=255)
    username = models.CharField(
        max_length=255, help_text="The council user name at the latest sign-in."
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField()

    class Meta:
        verbose_name = "council sign-in identity"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_id", "subject_claim", "subject"],
                name="one_account_per_council_identity",
            )
        ]

    def __str__(self):
        return f"{self.username} ({self.subject_claim} {self.subject})"
