"""The day the programme is judged on."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in Europe/London, the date every "overdue" and "current period" is judged on."""
    return timezone.localdate()
