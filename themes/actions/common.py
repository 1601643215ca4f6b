"""What the theme's actions share: `KEEP`, the default of every field of an update (the field
stays as it is), and marking a PID or highlight report submitted."""

import enum

from django.utils import timezone


class Keep(enum.Enum):
    """An update's field that was not given: it stays as the record has it."""

    KEEP = "keep"


KEEP = Keep.KEEP


def kept(value, current):
    """`value`, or `current` when the update was not given the field (`KEEP`)."""
    return current if value is KEEP else value


def mark_submitted(record, actor):
    """Mark a PID or highlight report submitted by `actor`, now, as its next version (the
    caller saves it)."""
    record.status = type(record).Status.SUBMITTED
    record.submitted_at = timezone.now()
    record.submitted_by = actor
    record.version += 1
    return record
