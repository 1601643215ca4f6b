"""Ledger imports: upload, preview, confirm, cancel, reverse, and the file kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from havering_improve import editing, roles, uploads
from havering_improve.fy import FinancialYear

from .. import selectors
from ..access import EDIT, RECORDS, get_allocation_for_user
from ..actions import imports as import_actions
from ..forms import LedgerUploadForm, ReasonForm
from ..imports import ImportRefused, ImportSummary
from .common import base, form_page, year_url


@roles.programme_reader_required
def imports(request, year):
    level = EDIT if request.method == "POST" else RECORDS
    allocation = get_allocation_for_user(request.user, year, level)
    settings = selectors.allocation_settings(allocation)
    form = LedgerUploadForm(initial={"cost_centres": settings.cost_centres})
    if request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            batch = import_actions.ledger_import_upload(
                allocation=allocation,
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
                cost_centres=form.cleaned_data["cost_centres"],
            )
            return redirect(year_url(allocation, "budget:import", pk=batch.pk))
    batches = allocation.imports.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    return render(
        request,
        "budget/imports.html",
        base(request, allocation, form=form, batches=batches),
    )


def _batch(request, year, pk, level):
    allocation = get_allocation_for_user(request.user, year, level)
    batch = get_object_or_404(
        allocation.imports.select_related("uploaded_by", "confirmed_by", "reversed_by"), pk=pk
    )
    return allocation, batch


@require_safe
@roles.programme_reader_required
def import_detail(request, year, pk):
    allocation, batch = _batch(request, year, pk, RECORDS)
    summary = ImportSummary.of(batch)
    # The whole file is another year's, and the programme has a budget for it: offer it there.
    other_year = None
    if (
        summary.other_year
        and allocation.programme.allocations.filter(
            start_year=FinancialYear.from_slug(summary.other_year).start_year
        ).exists()
    ):
        other_year = FinancialYear.from_slug(summary.other_year)
    return render(
        request,
        "budget/import_detail.html",
        base(request, allocation, batch=batch, summary=summary, other_year=other_year),
    )


@require_POST
@roles.programme_reader_required
def import_confirm(request, year, pk):
    allocation, batch = _batch(request, year, pk, EDIT)
    try:
        batch = import_actions.ledger_import_confirm(batch=batch, actor=request.user)
    except ImportRefused as exc:
        for problem in exc.problems[:10]:
            messages.error(request, problem.message)
        return redirect(year_url(allocation, "budget:import", pk=batch.pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(year_url(allocation, "budget:import", pk=batch.pk))
    messages.success(
        request, f"Imported {batch.rows_imported} rows totalling £{batch.total_imported:,.2f}."
    )
    return redirect(year_url(allocation, "budget:import", pk=batch.pk))


@require_POST
@roles.programme_reader_required
def import_cancel(request, year, pk):
    allocation, batch = _batch(request, year, pk, EDIT)
    editing.button_action(
        request,
        lambda: import_actions.ledger_import_cancel(batch=batch, actor=request.user),
        success=f"The import of {batch.original_name} was cancelled: nothing was saved.",
    )
    return redirect(year_url(allocation, "budget:imports"))


@roles.programme_reader_required
def import_reverse(request, year, pk):
    allocation, batch = _batch(request, year, pk, EDIT)
    back = year_url(allocation, "budget:import", pk=batch.pk)

    def reverse_import(form):
        reason = form.cleaned_data["reason"]
        return import_actions.ledger_import_reverse(batch=batch, actor=request.user, reason=reason)

    return form_page(
        request,
        allocation,
        ReasonForm(editing.posted(request)),
        reverse_import,
        success=f"The import of {batch.original_name} has been reversed.",
        title=f"Reverse the import of {batch.original_name}",
        submit="Reverse the import",
        back=back,
        warning=f"All {batch.rows_imported} rows of this import (£{batch.total_imported:,.2f}) "
        "will be taken out of the actuals. The file and its rows stay on record.",
    )


@require_safe
@roles.programme_reader_required
def import_file(request, year, pk):
    _, batch = _batch(request, year, pk, RECORDS)
    if not batch.original_file:
        raise Http404("No file")
    return uploads.file_download(batch.original_file, name=batch.original_name)
