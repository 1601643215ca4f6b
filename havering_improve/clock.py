"""The date the service runs on."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in Europe/London (the site's time zone), the date "due" and "overdue" are judged on."""
    return timezone.localdate()
