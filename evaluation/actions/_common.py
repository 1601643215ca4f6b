"""What the evaluation actions share: saving a record checked, and keeping a record's themes
within its programme."""

from __future__ import annotations

from django.core.exceptions import ValidationError


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
