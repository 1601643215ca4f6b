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
