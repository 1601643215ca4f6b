"""Filters for e-mail templates (havering_improve.mail's markup)."""

from django import template

register = template.Library()


@register.filter
def inset(text: str) -> str:
    """Someone's own words as inset text: each line of it marked `^ `, blank lines dropped."""
    return "\n".join(f"^ {line.strip()}" for line in str(text or "").splitlines() if line.strip())
