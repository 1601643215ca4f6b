"""Validators shared by every app: values that make no sense are refused with a message that
says so in plain English."""

import datetime as dt
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible

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


@deconstructible
class SingleLineValidator:
    """Text that ends up on one line of something else (an e-mail's subject, a calendar entry):
    a line break, tab or other control character in it is refused where it is typed, with a
    message naming the field (`what`), rather than the e-mail it would break silently not being
    sent (a line break in a subject is refused as header injection when the mail goes)."""

    code = "not_one_line"

    def __init__(self, what: str):
        self.what = what

    def __call__(self, value) -> None:
        if value and not is_single_line(str(value)):
            raise ValidationError(self.message(self.what), code=self.code)

    @staticmethod
    def message(what: str) -> str:
        return (
            f"{what} must be on one line: take out the line break, tab or other control character"
        )

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator) and self.what == other.what


def is_single_line(text: str) -> bool:
    """No control characters (line breaks, tabs, NUL…) and no Unicode line or paragraph
    separators."""
    return not any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text)


def single_line(what: str) -> list:
    """The validators of a one-line text field called `what` ("Title")."""
    return [SingleLineValidator(what)]
