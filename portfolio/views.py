"""Each person's home (what needs them) and the page about the programme: the pages that read
every app."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from board.selectors import boards
from budget.selectors import BUDGET_AREAS, allocations_with_lines
from evaluation.selectors import baseline_inspection, strands
from havering_improve import roles, summaries
from havering_improve.fy import FinancialYear
from themes.selectors import kept_programme, themes_with_leads

from . import worklists


@require_safe
@roles.programme_reader_required
def home(request):
    """Each person's home: what needs them, a list for each role they hold."""
    programme = _programme()
    lists = worklists.home_lists(request.user, programme, kept=True)
    return render(request, "home.html", {"programme": programme, "lists": lists})


def _programme():
    return kept_programme()


@require_safe
@roles.programme_reader_required
def about(request):
    """The programme as its decision set it up: themes, budget, evaluation, governance and the
    review after the first year. The same for everyone who may read the programme."""
    body = summaries.cached(
        ("about",),
        lambda: render_to_string("_about_body.html", _about_summary()),
        areas=summaries.EVERY_APP,
    )
    return render(request, "about.html", {"body": body})


def _about_summary() -> dict:
    """Each app's share is kept on its own, so a change in one recomputes only its share."""
    programme = _programme()
    allocations = summaries.cached(
        ("about-budget",), lambda: list(allocations_with_lines(programme)), areas=BUDGET_AREAS
    )
    return {
        "programme": programme,
        "themes": summaries.cached(
            ("about-themes",), lambda: list(themes_with_leads(programme)), areas=[summaries.THEMES]
        ),
        "allocations": allocations,
        "plan_year": _plan_year(allocations),
        **summaries.cached(
            ("about-evaluation",),
            lambda: {
                "strands": list(strands(programme)),
                "baseline": baseline_inspection(programme),
            },
            areas=[summaries.EVALUATION, summaries.PROGRAMME],
        ),
        "boards": summaries.cached(
            ("about-boards",), lambda: list(boards(programme)), areas=[summaries.BOARD]
        ),
    }


def _plan_year(allocations) -> FinancialYear | None:
    """The plan's own year (its first allocation's), when the programme has moved on from it:
    the plan's dates and figures then say they are the plan's, never mixed with this year's."""
    if not allocations:
        return None
    first = allocations[0].financial_year
    return first if first != FinancialYear.for_date(timezone.localdate()) else None
