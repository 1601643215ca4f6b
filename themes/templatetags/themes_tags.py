import re

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
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


@register.filter
def prose(text, empty=""):
    """A person's text in the GOV.UK body style: paragraphs split at blank lines, lines within
    one kept, and lines that start with "- " as a bulleted list (how a report's pre-filled
    sections are written). `empty` (in a paragraph) when there is no text. Django's own
    `linebreaks` gives bare <p> tags, which GOV.UK Frontend leaves in the browser's serif."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return format_html('<p class="govuk-body">{}</p>', empty) if empty else ""
    parts = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        i = 0
        while i < len(lines):
            if lines[i].lstrip().startswith("- "):
                items = []
                while i < len(lines) and lines[i].lstrip().startswith("- "):
                    items.append(format_html("<li>{}</li>", lines[i].lstrip()[2:]))
                    i += 1
                parts.append(
                    format_html(
                        '<ul class="govuk-list govuk-list--bullet">{}</ul>',
                        mark_safe("".join(items)),
                    )
                )
            else:
                run = []
                while i < len(lines) and not lines[i].lstrip().startswith("- "):
                    run.append(conditional_escape(lines[i]))
                    i += 1
                parts.append(
                    format_html('<p class="govuk-body">{}</p>', mark_safe("<br>".join(run)))
                )
    return mark_safe("".join(parts))
