from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from themes.charts import format_value

register = template.Library()


@register.simple_tag
def rag(value, empty="Not rated"):
    """A RAG rating as the service's one RAG badge (templates/_rag.html): a GOV.UK tag with the
    word always there, so colour is never the only cue; `empty` when there is no rating."""
    # The template escapes what it shows; strip() only drops the file's closing newline.
    return mark_safe(render_to_string("_rag.html", {"rag": value, "none": empty}).strip())


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
