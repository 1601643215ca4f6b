"""What the evaluation actions share: saving a record checked, leaving out the fields an update
was not given, and keeping a record's themes within its programme."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class _Unchanged:
    """An update's default for a field it was not given: the field keeps its value."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def given(**fields) -> dict:
    """The fields an update was given (those not left UNCHANGED)."""
    return {name: value for name, value in fields.items() if value is not UNCHANGED}


def save(obj, *, update_fields=None, m2m: dict | None = None):
    """full_clean, save, then set many-to-many values."""
    obj.full_clean()
    obj.save(update_fields=update_fields)
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


def check_themes(programme_id: int, themes, *, field: str = "themes") -> None:
    """Refuse themes of another programme: a record of this programme answers to its own."""
    outside = [theme for theme in themes if theme.programme_id != programme_id]
    if outside:
        names = ", ".join(theme.title for theme in outside)
        raise ValidationError({field: f"Select themes of this programme: {names} is not one."})
