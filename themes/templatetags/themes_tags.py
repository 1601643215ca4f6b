from django import template
from django.utils.html import format_html

from themes.charts import format_value

register = template.Library()

_RAG_TAGS = {"red": ("govuk-tag--red", "Red"), "amber": ("govuk-tag--orange", "Amber")}
_RAG_TAGS["green"] = ("govuk-tag--green", "Green")


@register.simple_tag
def rag(value, empty="Not rated"):
    """A RAG rating as a GOV.UK tag; the word is always there, so colour is never the only cue."""
    css, label = _RAG_TAGS.get(value or "", ("govuk-tag--grey", empty))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.simple_tag
def status_tag(label, colour):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.filter
def measure_value(value, measure):
    return format_value(measure, value)


@register.filter
def person(user, empty="a former user"):
    """A user's full name, else their username; `empty` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.username
