"""What the self-evaluation's actions share: a frozen self-evaluation refuses every change."""

from django.core.exceptions import ValidationError


def require_open(self_evaluation) -> None:
    if self_evaluation.is_frozen:
        raise ValidationError(
            f"The {self_evaluation.year} self-evaluation is signed off and frozen. Start next "
            "year's from it to write a new one."
        )
    if self_evaluation.status == "in_review":
        raise ValidationError(
            f"The {self_evaluation.year} self-evaluation is with its reviewer. It can be changed "
            "again once they return it."
        )


def saved(record):
    record.full_clean()
    record.save()
    return record
