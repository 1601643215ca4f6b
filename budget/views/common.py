"""What every budget page shares: the year's address, the context every page has (who may do
what), the plain form page, the period asked for, and a download logged as an export."""

from django.urls import reverse

from havering_improve import editing, roles, security

PAGE_SIZE = 100


def year_url(allocation, name="budget:year", **kwargs):
    return reverse(name, kwargs={"year": allocation.financial_year.slug, **kwargs})


def base(request, allocation, **extra):
    return {
        "allocation": allocation,
        "year": allocation.financial_year,
        "can_edit": roles.can_edit_budget(request.user),
        "can_read_records": roles.can_read_budget_records(request.user),
        "is_manager": roles.is_programme_manager(request.user),
        **extra,
    }


def form_page(
    request, allocation, form, call, *, success, back, done=None, intro="", warning="", **page
):
    """`editing.edit_page` on the budget's plain form page (`page`: its title and submit
    button), which goes `back` once saved unless `done` says otherwise."""
    context = base(request, allocation, back=back, intro=intro, warning=warning, **page)
    return editing.edit_page(
        request,
        form,
        call,
        template="budget/form_page.html",
        context=context,
        done=done or back,
        success=success,
    )


def as_at_param(request) -> int | None:
    try:
        value = int(request.GET.get("period", ""))
    except ValueError:
        return None
    return value if 0 <= value <= 12 else None


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def download(request, response, filename):
    """`response` as a file to save as `filename`; the download goes in the security log."""
    security.log_event("export", request=request, file=filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
