"""A theme's milestones, measures (with their readings) and risks: their add and edit pages,
built the same way, and a milestone's and a measure's own page."""

from collections.abc import Callable
from typing import NamedTuple

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from havering_improve import editing, roles, summaries
from havering_improve.pagination import page_or_404

from . import selectors
from .access import get_in_theme, get_in_theme_for_user, get_theme_for_user
from .actions.records import (
    measure_create,
    measure_reading_add,
    measure_update,
    milestone_create,
    milestone_update,
    risk_create,
    risk_update,
)
from .charts import (
    measure_chart_drawn,
    measure_chart_html,
    measure_chart_summary,
    serves_svg,
    svg_response,
)
from .forms import CommentForm, MeasureForm, MilestoneForm, ReadingForm, RiskForm
from .models import Measure, Milestone, Risk


class RecordKind(NamedTuple):
    model: type
    form: type
    create: Callable
    update: Callable
    template: str
    titles: tuple[str, str]  # the page's title when adding and when editing
    tab: str  # the part of the theme's page to return to


# The URLs name the kind: record_add and record_edit serve all three.
RECORD_KINDS = {
    "milestone": RecordKind(
        Milestone,
        MilestoneForm,
        milestone_create,
        milestone_update,
        "themes/milestone_form.html",
        ("Add a milestone", "Edit milestone"),
        "milestones",
    ),
    "measure": RecordKind(
        Measure,
        MeasureForm,
        measure_create,
        measure_update,
        "themes/measure_form.html",
        ("Add a measure", "Edit measure"),
        "measures",
    ),
    "risk": RecordKind(
        Risk,
        RiskForm,
        risk_create,
        risk_update,
        "themes/risk_form.html",
        ("Add a risk or issue", "Edit risk or issue"),
        "risks",
    ),
}


@roles.programme_reader_required
def record_add(request, slug, kind: str):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, kind)


@roles.programme_reader_required
def record_edit(request, slug, pk, kind: str):
    theme, record = get_in_theme_for_user(
        request.user, slug, RECORD_KINDS[kind].model, pk, edit=True
    )
    return _record_form_page(request, theme, kind, record)


def _record_form_page(request, theme, kind: str, record=None):
    """Add or edit one of a theme's milestones, measures or risks (optimistic concurrency)."""
    spec = RECORD_KINDS[kind]
    form = spec.form(editing.posted(request), instance=record)

    def save(form):
        if record is None:
            return spec.create(theme=theme, actor=request.user, **form.content())
        return editing.save_versioned(form, spec.update, **{kind: record}, actor=request.user)

    return editing.edit_page(
        request,
        form,
        save,
        done=theme.part_url(spec.tab),
        template=spec.template,
        context={kind: record, "title": spec.titles[record is not None], "theme": theme},
    )


@require_safe
@roles.programme_reader_required
def milestone_detail(request, slug, pk):
    theme, milestone = get_in_theme_for_user(request.user, slug, Milestone, pk)
    milestone.overdue = milestone.is_overdue()
    return render(
        request,
        "themes/milestone_detail.html",
        {
            "theme": theme,
            "milestone": milestone,
            **_discussion(request, theme, milestone),
        },
    )


def _discussion(request, theme, record) -> dict:
    """A milestone's or measure's comments and evidence, and what the viewer may do there."""
    return {
        "comments": record.comments.select_related("author"),
        "evidence": record.evidence.select_related("uploaded_by"),
        "comment_form": CommentForm(),
        "can_edit": roles.can_edit_theme(request.user, theme),
        "can_comment": roles.can_comment_on_theme(request.user, theme),
    }


# Measures --------------------------------------------------------------------------------------


READINGS_PAGE = 52  # a year of weekly readings


@require_safe
@roles.programme_reader_required
def measure_detail(request, slug, pk):
    theme = get_theme_for_user(request.user, slug)
    measure = get_object_or_404(selectors.measures_with_latest(), pk=pk, theme=theme)
    measure.theme = theme

    def chart():
        readings = list(measure.readings.order_by("date", "pk"))
        return measure_chart_html(measure, readings), measure_chart_summary(measure, readings)

    chart_html, chart_summary = summaries.cached(
        ("measure-chart", measure.pk), chart, areas=[summaries.measure_area(measure.pk)]
    )
    readings = measure.readings.select_related("recorded_by").order_by("-date", "-pk")
    page = page_or_404(readings, READINGS_PAGE, request)
    return render(
        request,
        "themes/measure_detail.html",
        {
            "theme": theme,
            "measure": measure,
            "status": selectors.measure_status(measure),
            "readings": page.object_list,
            "page": page,
            "chart": chart_html,
            "chart_summary": chart_summary,
            **_discussion(request, theme, measure),
        },
    )


@require_safe
@roles.programme_reader_required
@serves_svg
def measure_chart(request, slug, pk, version):
    """A measure's trend chart, to whoever may read its theme, at the address of the data it
    draws: an older address (the data has changed since) is Not Found, never another chart."""
    theme = get_theme_for_user(request.user, slug, kept=True)
    drawn, svg = summaries.cached(
        ("measure-svg", theme.pk, pk),
        lambda: measure_chart_drawn(get_in_theme(Measure, theme, pk)),
        areas=[summaries.measure_area(pk)],
    )
    if version != drawn:
        raise Http404("This chart has been redrawn since: reload the page.")
    return svg_response(svg)


@roles.programme_reader_required
def reading_add(request, slug, pk):
    theme, measure = get_in_theme_for_user(request.user, slug, Measure, pk, edit=True)
    return editing.edit_page(
        request,
        ReadingForm(editing.posted(request), instance=None, measure=measure),
        lambda form: measure_reading_add(
            measure=measure,
            actor=request.user,
            **{k: form.cleaned_data[k] for k in ("value", "date", "source", "note")},
        ),
        done=measure.get_absolute_url(),
        success=f"The reading for {measure.name} was added.",
        template="themes/reading_form.html",
        context={"theme": theme, "measure": measure},
    )
