"""What the theme's actions share: marking a PID or highlight report submitted."""

from django.utils import timezone


def mark_submitted(record, actor):
    """Mark a PID or highlight report submitted by `actor`, now, as its next version (the
    caller saves it)."""
    record.status = type(record).Status.SUBMITTED
    record.submitted_at = timezone.now()
    record.submitted_by = actor
    record.version += 1
    return record
