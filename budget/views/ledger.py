"""The ledger rows behind a figure, on a page and as a download: for those who keep the budget
(each payroll row is one person's pay)."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from havering_improve import roles
from havering_improve.pagination import page_or_404

from .. import exports
from ..access import RECORDS, get_allocation_for_user
from ..selectors import ledger_rows
from .common import CONTENT_TYPES, PAGE_SIZE, base, download


def _ledger_filters(request, allocation):
    line = None
    code = request.GET.get("line")
    if code:
        line = get_object_or_404(allocation.lines, code=code)

    def number(name):
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return None
        return value if 1 <= value <= 12 else None

    return {
        "line": line,
        "up_to": number("to"),
        "period": number("period"),
        "queue": request.GET.get("queue") == "1",
    }


# An XLSX download of this many rows or more takes long enough to prepare that the page says so.
LARGE_DOWNLOAD_ROWS = 50_000


@require_safe
@roles.programme_reader_required
def ledger(request, year):
    """The ledger rows behind any figure of the report (drill-down): transaction-level, so for
    those who keep the budget (each payroll row is one person's pay)."""
    allocation = get_allocation_for_user(request.user, year, RECORDS)
    filters = _ledger_filters(request, allocation)
    rows = ledger_rows(allocation, **filters).prefetch_related("allocations__line")
    page = page_or_404(rows, PAGE_SIZE, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budget/ledger.html",
        base(
            request,
            allocation,
            page=page,
            filters=filters,
            query=query.urlencode(),
            large_download=page.paginator.count >= LARGE_DOWNLOAD_ROWS,
        ),
    )


@require_safe
@roles.programme_reader_required
def ledger_download(request, year, fmt):
    """Every ledger row the filters select, as XLSX or CSV (`fmt`, from the address), streamed
    (see budget.exports); for those who keep the budget, as the ledger page is."""
    allocation = get_allocation_for_user(request.user, year, RECORDS)
    filters = _ledger_filters(request, allocation)
    values = exports.ledger_values(ledger_rows(allocation, **filters), allocation)
    # A filtered download says so above its header and in its name; an unfiltered one starts
    # with its header, so that it can be imported or read by a script as it is.
    said, named = exports.ledger_filter_words(allocation, **filters)
    notes = [said] if said else []
    if fmt == "xlsx":
        content = exports.xlsx_file("Ledger", exports.LEDGER_HEADER, values, notes=notes)
        response = FileResponse(content, content_type=CONTENT_TYPES[fmt])
    else:
        content = exports.csv_lines(exports.LEDGER_HEADER, values, notes=notes)
        response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = "-".join(filter(None, ["ledger", allocation.financial_year.slug, named]))
    return download(request, response, f"{name}.{fmt}")
