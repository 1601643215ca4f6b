"""Ledger imports: the month-end extract from the council's ledger into the year's ledger rows.

An upload keeps the file and checks every row (`ledger_import_upload`): the import waits for
confirmation with a preview of what the file holds (an `ImportSummary`, kept on the import as
JSON), or is rejected with every problem listed. Confirming reads the file again and brings its
new rows into the ledger in one transaction (`ledger_import_confirm`); a preview can be
cancelled, and an import reversed with a reason. Each of these is an action
(`havering_improve.actions`).

Rows reach the ledger only through `ledger_rows_insert`, in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from havering_improve import summaries, uploads
from havering_improve.actions import action
from havering_improve.errors import AlreadyDone

from ..imports import INSERT_BATCH, ZERO, ImportRefused, analyse_file
from ..ledger import ParsedRow
from ..models import LEDGER_ROW_COLUMNS, BudgetAllocation, LedgerImport, LedgerRow, with_reason
from ..periods import lock_periods
from ..selectors import allocation_settings, closed_periods
from .allocations import allocation_settings_update


@action("can_edit_budget")
def ledger_import_upload(
    *,
    allocation: BudgetAllocation,
    uploaded_file: UploadedFile,
    actor,
    cost_centres: str | None = None,
) -> LedgerImport:
    """Keep the uploaded file and check it: the batch waits for confirmation, or is rejected
    with every problem listed. Nothing reaches the ledger here."""
    if cost_centres is not None:
        current = allocation_settings(allocation)
        if current.cost_centres != cost_centres:
            allocation_settings_update.within(
                allocation=allocation, actor=actor, cost_centres=cost_centres
            )
    batch = LedgerImport(
        allocation=allocation,
        uploaded_by=actor,
        original_name=uploads.display_name(uploaded_file.name, 255),
    )
    # Stored under a bounded name with the extension of what it is (CSV or XLSX).
    kind = uploads.sniff_kind(uploaded_file)
    batch.original_file.save(uploads.stored_name(uploaded_file.name, kind), uploaded_file, False)
    try:
        analysis = analyse_file(batch)
    except BaseException:
        batch.original_file.delete(save=False)
        raise
    batch.summary = analysis.summary.to_json()
    batch.errors = [p.as_dict() for p in analysis.problems]
    if analysis.summary.problem_count:
        # A refused file is never imported: the record keeps its name and every problem, and
        # the file itself is not kept in storage.
        batch.status = LedgerImport.Status.REJECTED
        batch.original_file.delete(save=False)
    try:
        batch.save()
    except BaseException:
        if batch.original_file:
            batch.original_file.delete(save=False)
        raise
    return batch


@action(
    "can_edit_budget",
    audit="import",
    audit_details=lambda batch: {"file": batch.original_name, "rows": batch.rows_imported},
)
def ledger_import_confirm(*, batch: LedgerImport, actor) -> LedgerImport:
    """Import every row of a checked file in one transaction; all or nothing. Rows already in
    the ledger (same transaction reference) are skipped, so re-importing never double-counts."""
    with transaction.atomic():
        batch = (
            LedgerImport.objects.select_for_update().select_related("allocation").get(pk=batch.pk)
        )
        if batch.status == LedgerImport.Status.IMPORTED:  # a double click, or a second person
            raise AlreadyDone(
                f"{batch.original_name} has been imported already: nothing was imported twice.",
                batch,
            )
        if batch.status != LedgerImport.Status.PREVIEWED:
            raise ValidationError("This import is not waiting for confirmation.")
        allocation = batch.allocation
        lock_periods(allocation)  # a close waits, or this sees it: closed periods are read after
        pending: list[tuple] = []
        count = 0
        total = ZERO
        batch_id, allocation_id = batch.pk, allocation.pk
        none = LedgerRow.Match.NONE.value
        append = pending.append

        def keep(row: ParsedRow, rule):
            nonlocal count, total
            if rule is None:
                line_id = rule_id = None
                kind = none
            else:
                line_id, rule_id, kind = rule.line_id, rule.pk, rule.kind
            # LEDGER_ROW_COLUMNS' order; a plain tuple, as this runs for every row of the file.
            append(
                (
                    batch_id,
                    allocation_id,
                    row.source_row,
                    row.posting_date,
                    row.period,
                    row.cost_centre,
                    row.cost_centre_name,
                    row.subjective,
                    row.subjective_name,
                    row.reference,
                    row.post_number,
                    row.description,
                    row.amount,
                    line_id,
                    rule_id,
                    kind,
                    True,
                )
            )
            count += 1
            total += row.amount
            if len(pending) >= INSERT_BATCH:
                ledger_rows_insert.within(rows=pending, actor=actor)
                pending.clear()

        analysis = analyse_file(batch, on_row=keep, file_checked=True)
        if analysis.summary.problem_count:
            # Something changed since the preview (a period closed): nothing is kept.
            transaction.set_rollback(True)
            raise ImportRefused(analysis.problems)
        if pending:
            ledger_rows_insert.within(rows=pending, actor=actor)
        batch.status = LedgerImport.Status.IMPORTED
        batch.summary = analysis.summary.to_json()
        batch.confirmed_by = actor
        batch.confirmed_at = timezone.now()
        batch.rows_imported = count
        batch.total_imported = total
        with_reason(batch, "Imported").save()
    return batch


@action("can_edit_budget")
def ledger_rows_insert(*, actor, rows: Sequence[tuple]) -> None:
    """Write ledger rows in bulk: each a tuple of a row's values in `LEDGER_ROW_COLUMNS` order
    (`budget.models.LedgerRowValues` names them), its import already saved. The budget's kept
    pages and ledger totals are marked out of date, as a model signal would.

    bulk_create spends most of its time building model instances and compiling SQL (about
    7,000 rows a second here); month-end extracts of 100,000 rows need more than that, so the
    rows go in as plain parameter tuples: COPY on PostgreSQL, executemany elsewhere. Ledger
    rows are never edited afterwards, and their import (with its own history) is their audit
    trail, so nothing is lost by bypassing the model layer."""
    summaries.data_changed(summaries.BUDGET, summaries.LEDGER)  # no model signals here
    table = connection.ops.quote_name(LedgerRow._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LEDGER_ROW_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for item in rows:
                    copy.write_row(item)
            return
        # SQLite keeps dates as ISO text and decimals as text-adapted numbers, as Django does.
        values = [(*v[:3], v[3].isoformat(), *v[4:12], str(v[12]), *v[13:]) for v in rows]
        placeholders = ", ".join(["%s"] * len(LEDGER_ROW_COLUMNS))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608


@action("can_edit_budget")
def ledger_import_cancel(*, batch: LedgerImport, actor) -> LedgerImport:
    if batch.status != LedgerImport.Status.PREVIEWED:
        raise ValidationError("Only an import waiting for confirmation can be cancelled.")
    batch.status = LedgerImport.Status.CANCELLED
    with_reason(batch, "Cancelled").save(update_fields=["status"])
    return batch


@action("can_edit_budget")
def ledger_import_reverse(*, batch: LedgerImport, actor, reason: str) -> LedgerImport:
    """Take a whole import back out of the ledger, with the reason. Its rows stay on record
    (inactive), so the same extract can be imported again once corrected."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the import is being reversed."})
    with transaction.atomic():
        batch = LedgerImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != LedgerImport.Status.IMPORTED:
            raise ValidationError("Only an imported file can be reversed.")
        lock_periods(batch.allocation)
        closed = closed_periods(batch.allocation)
        touched = set(batch.rows.filter(active=True).values_list("period", flat=True).distinct())
        blocked = sorted(touched & closed)
        if blocked:
            names = ", ".join(str(p) for p in blocked)
            raise ValidationError(
                f"The import has rows in closed period(s) {names}. The programme manager must "
                "reopen them before it can be reversed."
            )
        batch.rows.update(active=False)
        summaries.data_changed(summaries.BUDGET, summaries.LEDGER)
        batch.status = LedgerImport.Status.REVERSED
        batch.reversed_by = actor
        batch.reversed_at = timezone.now()
        batch.reversal_reason = reason
        with_reason(batch, f"Reversed: {reason}").save()
    return batch
