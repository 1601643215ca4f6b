"""A frozen version as a page, a tagged PDF and a Word document, all from its snapshot."""

import copy

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from themes.charts import trend_chart_html

from . import render, word
from .snapshot import trend_chart


def _made_on(version) -> str:
    return f"{version.made_on.day} {version.made_on:%B %Y}"


def context(version) -> dict:
    """The snapshot with each chart drawn (an <img> holding its SVG, with its alt text)."""
    snapshot = copy.deepcopy(version.snapshot)
    for section in snapshot["sections"]:
        for item in section["evidence"]:
            if item["chart"]:
                item["chart_html"] = mark_safe(trend_chart_html(trend_chart(item["chart"])))
    return {"s": snapshot, "version": version, "made_on": _made_on(version)}


def pdf(version) -> bytes:
    document = render_to_string("selfevaluation/document.html", context(version))
    return render.render_pdf(document)


def docx_bytes(version) -> bytes:
    return word.build_docx(
        version.snapshot, number=version.number, made_on=_made_on(version), kind=version.kind
    )


def file_name(version, extension: str) -> str:
    year = version.snapshot["year"].replace("/", "-")
    return f"self-evaluation-{year}-version-{version.number}.{extension}"
