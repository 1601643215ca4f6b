"""Validators shared by every app: values that make no sense are refused with a message that
says so in plain English."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def validate_plausible_date(value) -> None:
    """Every date the service keeps falls between 2000 and 2100: a mistyped year (9999, 1019)
    is caught where it is typed, not months later in a report or a calendar."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            "Enter a date between 1 January 2000 and 31 December 2100.",
            code="date_out_of_range",
        )


def not_negative(what: str) -> MinValueValidator:
    return MinValueValidator(Decimal("0"), message=f"{what} cannot be less than £0.")


PERCENT_VALIDATORS = [
    MinValueValidator(Decimal("0"), message="Enter a percentage from 0 to 100."),
    MaxValueValidator(Decimal("100"), message="Enter a percentage from 0 to 100."),
]
