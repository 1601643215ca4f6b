"""The monitoring report of a year's budget, its downloads and its chart, and spend by theme."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from havering_improve import roles, summaries
from havering_improve.fy import FinancialYear, period_month_name
from themes.charts import serves_svg, svg_response
from themes.selectors import current_programme

from .. import exports
from ..access import READ, check, get_allocation_for_user
from ..charts import cumulative_chart_drawn, cumulative_chart_version
from ..selectors import (
    BUDGET_AREAS,
    budget_report,
    cached_budget_report,
    cached_theme_spend,
    stale_weight_lines,
)
from .common import CONTENT_TYPES, as_at_param, base, download


@require_safe
@roles.programme_reader_required
def budget_year(request, year: str | None = None):
    """`/budget/` is the current financial year (or the latest allocated before it);
    `/budget/2019-20/` is that year."""
    check(request.user, READ)

    def years():
        programme = current_programme()
        return programme, list(programme.allocations.order_by("start_year"))

    programme, allocations = summaries.cached(("budget-years",), years, areas=BUDGET_AREAS)
    if year is None:
        today_fy = FinancialYear.for_date(timezone.localdate())
        past = [a for a in allocations if a.start_year <= today_fy.start_year]
        allocation = past[-1] if past else (allocations[0] if allocations else None)
        if allocation is None:
            body = render_to_string("budget/_report_body.html", {"allocation": None})
            return render(request, "budget/report.html", {"allocation": None, "body": body})
    else:
        allocation = next((a for a in allocations if a.financial_year.slug == year), None)
        if allocation is None:
            raise Http404("No budget for that year")
    allocation.programme = programme  # for the page, without a query
    as_at = as_at_param(request)
    context = base(request, allocation)

    def body():
        report = budget_report(allocation, as_at=as_at, kept=True)
        return render_to_string(
            "budget/_report_body.html",
            {
                **context,
                "programme": programme,
                "allocations": allocations,
                "report": report,
                "chart": chart_address(allocation, as_at, report),
                "as_at_name": period_month_name(report.as_at) if report.as_at else "",
                "periods": range(1, 13),
            },
        )

    # The same for everyone with the same permissions: kept until the data changes.
    permissions = (context["can_edit"], context["can_read_records"], context["is_manager"])
    key = ("budget-report-page", allocation.pk, as_at, *permissions)
    body = summaries.cached(key, body, areas=BUDGET_AREAS)
    return render(request, "budget/report.html", {**context, "body": body})


# The chart's address names the period the page was asked for ("latest": none asked for).
LATEST = "latest"


def chart_address(allocation, as_at: int | None, report) -> str:
    """Where the report's cumulative spend chart is drawn, for the version of the figures the
    page shows."""
    return reverse(
        "budget:chart",
        kwargs={
            "year": allocation.financial_year.slug,
            "as_at": LATEST if as_at is None else str(as_at),
            "version": cumulative_chart_version(report),
        },
    )


@require_safe
@roles.programme_reader_required
@serves_svg
def report_chart(request, year, as_at, version):
    """The report's cumulative spend chart, to whoever may read the report (it draws the same
    totals as the report's table), at the address of the figures it draws: an older address
    (the figures have changed since) is Not Found, never another chart."""
    allocation = get_allocation_for_user(request.user, year, READ)
    if as_at == LATEST:
        period = None
    elif as_at.isdigit() and 0 <= int(as_at) <= 12:
        period = int(as_at)
    else:
        raise Http404("There are twelve periods.")
    drawn, svg = summaries.cached(
        ("budget-chart", allocation.pk, period),
        lambda: cumulative_chart_drawn(cached_budget_report(allocation, as_at=period)),
        areas=BUDGET_AREAS,
    )
    if version != drawn:
        raise Http404("This chart has been redrawn since: reload the page.")
    return svg_response(svg)


@require_safe
@roles.programme_reader_required
def report_download(request, year, fmt):
    """The monitoring report as XLSX or CSV (`fmt`, from the address)."""
    allocation = get_allocation_for_user(request.user, year, READ)
    report = cached_budget_report(allocation, as_at=as_at_param(request))
    notes = exports.report_notes(report)
    rows = exports.report_rows(report)
    if fmt == "xlsx":
        body = exports.to_xlsx(
            "Budget monitoring",
            exports.REPORT_HEADER,
            rows,
            notes=notes,
            kinds=exports.REPORT_KINDS,
        )
    else:
        body = exports.to_csv(exports.REPORT_HEADER, rows, notes=notes)
    name = f"budget-monitoring-{allocation.financial_year.slug}-p{report.as_at:02d}.{fmt}"
    return download(request, HttpResponse(body, content_type=CONTENT_TYPES[fmt]), name)


@require_safe
@roles.programme_reader_required
def themes_spend(request, year):
    allocation = get_allocation_for_user(request.user, year, READ)
    spend = cached_theme_spend(allocation.programme, allocation.financial_year)
    totals = {
        "budget": sum((s.budget for s in spend), Decimal("0.00")),
        "actual_to_date": sum((s.actual_to_date for s in spend), Decimal("0.00")),
        "forecast_outturn": sum((s.forecast_outturn for s in spend), Decimal("0.00")),
    }
    context = base(request, allocation, spend=spend, totals=totals)
    if context.get("is_manager"):
        context["stale_weights"] = stale_weight_lines(allocation)
    return render(request, "budget/themes.html", context)
