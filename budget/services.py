"""Every change to budget data: actions (`havering_improve.actions`), so each is atomic,
permission-checked, keyword-only and in the history with who made it. A post, a commitment and a
line's monthly profile carry the version their form was opened at (StaleEdit if it moved on)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from havering_improve import summaries
from havering_improve.actions import StaleEdit, action, lock_current
from havering_improve.errors import AlreadyDone

from .ledger import MAX_AMOUNT, LedgerReader, ParsedRow, Problem, open_stored
from .models import (
    AllocationSettings,
    BudgetAllocation,
    BudgetLine,
    Commitment,
    ForecastSnapshot,
    LedgerImport,
    LedgerRow,
    LineMonth,
    MatchingRule,
    PeriodState,
    Post,
    RowAllocation,
    ThemeWeight,
    Virement,
)
from .selectors import (
    Matcher,
    allocation_settings,
    budget_report,
    closed_periods,
    latest_budget,
    rule_queue_matches,
)

INSERT_BATCH = 5000
# Rows read before their references are looked up in the ledger, all at once.
LOOKUP_CHUNK = 5000
# Rows of each kind kept in the preview for display; counts and totals cover them all.
PREVIEW_LIMIT = 200


def _reason(obj, reason: str):
    """The change's reason, shown with it in the history."""
    obj._change_reason = reason[:100]
    return obj


@action("can_edit_budget")
def allocation_settings_update(*, allocation, actor, **values) -> AllocationSettings:
    obj = allocation_settings(allocation)
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean(exclude=["allocation"])
    if obj.red_percent < obj.amber_percent:
        raise ValidationError({"red_percent": "Red must be at or above amber."})
    obj.save()
    allocation.settings = obj
    return obj


def lock_periods(allocation) -> None:
    """Take the allocation's row lock, which stands for the state of its periods, until the
    transaction ends. Closing a period, and every write of actuals that checks closed periods
    (import confirm, reversal, allocation), takes it first and reads the closed periods after,
    so a close and an import never interleave: the import waits and then sees the close."""
    list(BudgetAllocation.objects.select_for_update().filter(pk=allocation.pk).values_list("pk"))


def period_states(allocation) -> dict[int, PeriodState]:
    return {s.period: s for s in PeriodState.objects.filter(allocation=allocation)}


# --- import ------------------------------------------------------------------------------


@dataclass
class Analysis:
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    counts: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    samples: dict = field(default_factory=dict)
    by_rule: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "counts": self.counts,
            "totals": {k: str(v) for k, v in self.totals.items()},
            "samples": self.samples,
            "by_rule": self.by_rule,
        }


KINDS = ["matched", "unmatched", "other", "duplicate"]


def _row_summary(row: ParsedRow, **extra) -> dict:
    return {
        "row": row.source_row,
        "date": row.posting_date.isoformat(),
        "period": row.period,
        "cost_centre": row.cost_centre,
        "subjective": row.subjective,
        "reference": row.reference,
        "post_number": row.post_number,
        "description": row.description,
        "amount": str(row.amount),
        **extra,
    }


def _already_in_ledger(allocation_id: int, references: list[str]) -> set[str]:
    """Which of these references (one chunk of the file) the year's ledger already has, active.

    Looked up a chunk at a time, so memory stays flat however large the ledger and the file.
    On PostgreSQL the query is answered from the partial unique index
    `ledger_reference_unique_while_active` (allocation_id, reference) WHERE active, one probe
    per reference (about 10 ms for 5,000 in a ledger of 200,000 rows). Two things keep the
    planner on it, whatever its statistics say about the table (they may be stale, or missing,
    just after a large load, and ANALYZE is not something the import can rely on):
    - `active` is written as the index's predicate is, with no parameter (a bound
      `active = %s` cannot prove the predicate in a generic plan, and the index is skipped);
    - the references reach the query through a sub-select, `ANY(ARRAY(SELECT unnest(%s)))`,
      rather than as a literal array: against a literal array of 5,000 values the planner
      prices 5,000 index probes above one pass over the whole table and reads every row of
      the ledger for each chunk instead (70 ms a chunk at 200,000 rows, and growing)."""
    from django.db import connection

    if not references:
        return set()
    table = connection.ops.quote_name(LedgerRow._meta.db_table)
    found: set[str] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT reference FROM {table} WHERE allocation_id = %s AND active "  # noqa: S608
                "AND reference = ANY(ARRAY(SELECT unnest(%s::varchar[])))",
                [allocation_id, references],
            )
            found.update(ref for (ref,) in cursor.fetchall())
            return found
        step = max((connection.features.max_query_params or 999) - 1, 1)
        for start in range(0, len(references), step):
            part = references[start : start + step]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT reference FROM {table} WHERE allocation_id = %s AND active "  # noqa: S608
                f"AND reference IN ({marks})",
                [allocation_id, *part],
            )
            found.update(ref for (ref,) in cursor.fetchall())
    return found


class _ReferenceLog:
    """Every row's reference, written to a temporary table as the file is read, so a reference
    that appears twice is found without holding the whole file's references in memory (the
    file may have any number of rows). Each row's kind, amount, rule and closed period go with
    it, so the later copies can be taken back out of the preview's counts."""

    TABLE = "budget_import_refs"
    COLUMNS = "reference, source_row, kind, amount, rule_id, closed_period"

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.pending: list[tuple] = []
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.TABLE} (reference varchar(100) NOT NULL, "
                "source_row integer NOT NULL, kind varchar(10) NOT NULL, amount varchar(20) "
                "NOT NULL, rule_id bigint NULL, closed_period integer NULL)"
            )

    def add(self, item: tuple) -> None:
        self.pending.append(item)
        if len(self.pending) >= INSERT_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                sql = f"COPY {self.TABLE} ({self.COLUMNS}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for item in self.pending:
                        copy.write_row(item)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.TABLE} ({self.COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
                    [(*item[:3], str(item[3]), *item[4:]) for item in self.pending],
                )
        self.pending.clear()

    def repeats(self):
        """(reference, row, first row, kind, amount, rule id, closed period) for every row whose
        reference came earlier in the file, in row order."""
        self.flush()
        table = self.TABLE
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.reference, r.source_row, f.first_row, r.kind, r.amount, r.rule_id, "  # noqa: S608
                f"r.closed_period FROM {table} r JOIN (SELECT reference, MIN(source_row) AS "
                f"first_row FROM {table} GROUP BY reference HAVING COUNT(*) > 1) f "
                "ON f.reference = r.reference WHERE r.source_row > f.first_row "
                "ORDER BY r.source_row"
            )
            while chunk := cursor.fetchmany(1000):
                yield from chunk

    def close(self) -> None:
        from django.db import DatabaseError

        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
        except DatabaseError:
            # The surrounding transaction already failed (its error is the one that matters);
            # the table goes with it, or with the next import's DROP ... IF EXISTS.
            pass


def _walk(batch: LedgerImport, *, on_row=None, file_checked: bool = False) -> Analysis:
    """Read the batch's file once, classify every row, and hand rows to be kept to `on_row`
    as (parsed row, rule). Problems of the file as a whole are collected, not raised.

    Memory stays flat however long the file and however large the ledger. Rows are read a
    chunk at a time (`LOOKUP_CHUNK`) and the chunk's references looked up in the ledger in one
    query, rather than holding every reference of the year's ledger. A reference that appears
    twice in the file is found at the end, from a temporary table (`_ReferenceLog`), rather
    than from a dict of every reference read so far; its later copies are then taken back out
    of the counts.
    `file_checked`: the file itself (every value, and no reference twice) was checked when it
    was uploaded and has not changed since, so that check is skipped; everything that depends
    on the database (cost centres, rules, rows already imported, closed periods) is worked out
    again. (A repeated reference that somehow got through would still be refused by the
    ledger's unique constraint, and the whole import rolled back.)"""
    allocation = batch.allocation
    year = allocation.financial_year
    cost_centres = allocation_settings(allocation).cost_centre_codes
    closed = closed_periods(allocation)
    matcher = Matcher.for_allocation(allocation)
    analysis = Analysis(
        counts=dict.fromkeys(KINDS, 0),
        totals=dict.fromkeys(KINDS, Decimal("0.00")),
        samples={k: [] for k in KINDS},
    )
    log = None if file_checked else _ReferenceLog()
    closed_hits: dict[int, int] = {}
    extra_problems: list[Problem] = []
    reader = LedgerReader(open_stored(batch.original_file), batch.original_name, year)
    counts, samples = analysis.counts, analysis.samples
    total_matched = total_unmatched = total_other = total_duplicate = Decimal("0.00")
    by_rule: dict[int, int] = {}
    rules: dict[int, MatchingRule] = {}
    match = matcher.match
    allocation_id = allocation.pk
    rows = reader.rows()
    if not cost_centres:
        extra_problems.append(
            Problem(None, "Cost Centre", "Set the programme's cost centres before importing.")
        )
    try:
        while chunk := list(islice(rows, LOOKUP_CHUNK)):
            existing = _already_in_ledger(
                allocation_id, [r.reference for r in chunk if r.cost_centre in cost_centres]
            )
            for row in chunk:
                reference = row.reference
                rule = closed_period = None
                if row.cost_centre not in cost_centres:
                    kind = "other"
                    total_other += row.amount
                elif reference in existing:
                    kind = "duplicate"
                    total_duplicate += row.amount
                else:
                    if row.period in closed:
                        closed_hits[row.period] = closed_hits.get(row.period, 0) + 1
                        closed_period = row.period
                    rule = match(row)
                    if rule is None:
                        kind = "unmatched"
                        total_unmatched += row.amount
                    else:
                        kind = "matched"
                        total_matched += row.amount
                        key = rule.pk
                        if key in by_rule:
                            by_rule[key] += 1
                        else:
                            by_rule[key] = 1
                            rules[key] = rule
                    if on_row is not None and not closed_hits:
                        on_row(row, rule)
                counts[kind] += 1
                if len(samples[kind]) < PREVIEW_LIMIT:
                    extra = {"line": rule.line.title, "rule": rule.describe()} if rule else {}
                    samples[kind].append(_row_summary(row, **extra))
                if log is not None:
                    log.add(
                        (
                            reference,
                            row.source_row,
                            kind,
                            row.amount,
                            rule and rule.pk,
                            closed_period,
                        )
                    )
        totals = analysis.totals
        totals["matched"], totals["unmatched"] = total_matched, total_unmatched
        totals["other"], totals["duplicate"] = total_other, total_duplicate
        if log is not None:
            sampled = {s["row"] for kind in KINDS for s in samples[kind]}
            repeated_rows = set()
            for reference, number, first, kind, amount, rule_id, period in log.repeats():
                extra_problems.append(
                    Problem(
                        number,
                        "Transaction Reference",
                        f"{reference} appears twice in the file (rows {first} and {number}).",
                    )
                )
                # Only the first copy counts in the preview.
                if number in sampled:
                    repeated_rows.add(number)
                counts[kind] -= 1
                totals[kind] -= Decimal(amount)
                if rule_id is not None:
                    by_rule[rule_id] -= 1
                if period is not None:
                    closed_hits[period] -= 1
            if repeated_rows:
                for kind in KINDS:
                    samples[kind] = [s for s in samples[kind] if s["row"] not in repeated_rows]
    finally:
        batch.original_file.close()
        if log is not None:
            log.close()
    for key, number in by_rule.items():
        if not number:
            continue
        rule = rules[key]
        label = f"{rule.describe()} → {rule.line.title}"
        analysis.by_rule[label] = analysis.by_rule.get(label, 0) + number
    kept = totals["matched"] + totals["unmatched"]
    if abs(kept) >= MAX_AMOUNT:
        extra_problems.append(
            Problem(
                None,
                "Amount",
                f"The programme's rows in this file add up to £{kept:,.2f}; the ledger holds an "
                f"import's total only below £{MAX_AMOUNT:,.0f}. Check the amounts.",
            )
        )
    for period, count in sorted(closed_hits.items()):
        if not count:
            continue
        extra_problems.append(
            Problem(
                None,
                "Period",
                f"Period {period} is closed, and the file has {count} new row(s) in it. "
                "Ask the programme manager to reopen the period, or remove those rows.",
            )
        )
    analysis.problems = reader.problems + extra_problems
    analysis.problem_count = reader.problem_count + len(extra_problems)
    analysis.counts["blank"] = reader.blank_rows
    analysis.counts["recognised"] = sum(counts[k] for k in KINDS)
    analysis.totals["recognised"] = sum((totals[k] for k in KINDS), Decimal("0.00"))
    return analysis


@action("can_edit_budget")
def ledger_import_upload(*, allocation, uploaded_file, actor, cost_centres: str | None = None):
    """Keep the uploaded file and check it: the batch waits for confirmation, or is rejected
    with every problem listed. Nothing reaches the ledger here."""
    if cost_centres is not None:
        current = allocation_settings(allocation)
        if current.cost_centres != cost_centres:
            allocation_settings_update(
                allocation=allocation, actor=actor, cost_centres=cost_centres
            )
    batch = LedgerImport(
        allocation=allocation, uploaded_by=actor, original_name=uploaded_file.name[:255]
    )
    batch.original_file.save(uploaded_file.name, uploaded_file, save=False)
    try:
        analysis = _walk(batch)
    except BaseException:
        batch.original_file.delete(save=False)
        raise
    batch.summary = analysis.summary()
    batch.errors = [p.as_dict() for p in analysis.problems]
    batch.summary["problem_count"] = analysis.problem_count
    if analysis.problem_count:
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


class ImportRefused(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems[:5]))


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
        if batch.status != LedgerImport.Status.PREVIEWED:
            raise ValidationError("This import is not waiting for confirmation.")
        allocation = batch.allocation
        lock_periods(allocation)  # a close waits, or this sees it: closed periods are read after
        pending: list[tuple] = []
        count = 0
        total = Decimal("0.00")
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
                _insert_ledger_rows(pending)
                pending.clear()

        analysis = _walk(batch, on_row=keep, file_checked=True)
        if analysis.problem_count:
            # Something changed since the preview (a period closed): nothing is kept.
            transaction.set_rollback(True)
            raise ImportRefused(analysis.problems)
        if pending:
            _insert_ledger_rows(pending)
        batch.status = LedgerImport.Status.IMPORTED
        batch.summary = {**analysis.summary(), "problem_count": 0}
        batch.confirmed_by = actor
        batch.confirmed_at = timezone.now()
        batch.rows_imported = count
        batch.total_imported = total
        _reason(batch, "Imported").save()
    return batch


LEDGER_ROW_COLUMNS = [
    "batch_id",
    "allocation_id",
    "source_row",
    "posting_date",
    "period",
    "cost_centre",
    "cost_centre_name",
    "subjective",
    "subjective_name",
    "reference",
    "post_number",
    "description",
    "amount",
    "line_id",
    "rule_id",
    "match",
    "active",
]


def _insert_ledger_rows(values: list[tuple]) -> None:
    """Insert a batch of ledger rows. bulk_create spends most of its time building model
    instances and compiling SQL (about 7,000 rows a second here); month-end extracts of 100,000
    rows need more than that, so the rows go in as plain parameter tuples: COPY on PostgreSQL,
    executemany elsewhere. The rows are never edited afterwards, and the batch record (with its
    own history) is their audit trail, so nothing is lost by bypassing the model layer."""
    from django.db import connection

    summaries.data_changed(summaries.BUDGET, summaries.LEDGER)  # no model signals here
    table = connection.ops.quote_name(LedgerRow._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LEDGER_ROW_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for item in values:
                    copy.write_row(item)
            return
        # SQLite keeps dates as ISO text and decimals as text-adapted numbers, as Django does.
        rows = [(*v[:3], v[3].isoformat(), *v[4:12], str(v[12]), *v[13:]) for v in values]
        placeholders = ", ".join(["%s"] * len(LEDGER_ROW_COLUMNS))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


@action("can_edit_budget")
def ledger_import_cancel(*, batch: LedgerImport, actor) -> LedgerImport:
    if batch.status != LedgerImport.Status.PREVIEWED:
        raise ValidationError("Only an import waiting for confirmation can be cancelled.")
    batch.status = LedgerImport.Status.CANCELLED
    _reason(batch, "Cancelled").save(update_fields=["status"])
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
        _reason(batch, f"Reversed: {reason}").save()
    return batch


# --- allocation queue --------------------------------------------------------------------


@action("can_edit_budget")
def row_allocate(
    *, row: LedgerRow, splits: list[tuple[BudgetLine, Decimal]], actor, save_rule: str = ""
) -> list[RowAllocation]:
    """Place an unmatched row on one or more lines; the shares must add up to the row.
    `save_rule` ("post", "coding" or "coding-text") remembers a one-line allocation as a rule."""
    with transaction.atomic():
        row = LedgerRow.objects.select_for_update().select_related("allocation").get(pk=row.pk)
        if not row.active or row.line_id or row.allocations.exists():
            raise ValidationError("This row is not waiting to be allocated.")
        lock_periods(row.allocation)
        if row.period in closed_periods(row.allocation):
            raise ValidationError(
                f"Period {row.period} is closed; its actuals are frozen. Ask the programme "
                "manager to reopen it."
            )
        splits = [(line, amount) for line, amount in splits if amount]
        if not splits:
            raise ValidationError("Choose a budget line and an amount.")
        if any(line.allocation_id != row.allocation_id for line, _ in splits):
            raise ValidationError("Every line must belong to the same year as the row.")
        allocated = sum((amount for _, amount in splits), Decimal("0.00"))
        if allocated != row.amount:
            raise ValidationError(
                f"The shares add up to £{allocated:,.2f} but the row is £{row.amount:,.2f}."
            )
        created = []
        for line, amount in splits:
            share = RowAllocation(row=row, line=line, amount=amount, allocated_by=actor)
            share.save()
            created.append(share)
        if save_rule:
            if len(splits) != 1:
                raise ValidationError("Only a row placed on one line can become a rule.")
            rule_save(
                allocation=row.allocation,
                actor=actor,
                line=splits[0][0],
                kind="post" if save_rule == "post" else "coding",
                post_number=row.post_number,
                cost_centre=row.cost_centre,
                subjective=row.subjective,
                description_contains=row.description if save_rule == "coding-text" else "",
            )
    return created


@action("can_edit_budget")
def rule_save(
    *,
    allocation,
    actor,
    line,
    kind,
    post_number="",
    cost_centre="",
    subjective="",
    description_contains="",
) -> MatchingRule:
    if line.allocation_id != allocation.pk:
        raise ValidationError({"line": "Choose a line of this year's budget."})
    if kind == MatchingRule.Kind.POST:
        if not post_number.strip():
            raise ValidationError({"post_number": "Enter the post number."})
        if MatchingRule.objects.filter(
            allocation=allocation, kind=kind, post_number__iexact=post_number.strip()
        ).exists():
            raise ValidationError({"post_number": f"Post {post_number} already has a rule."})
        values = {"post_number": post_number.strip().upper()}
    else:
        if not cost_centre.strip() or not subjective.strip():
            raise ValidationError("Enter the cost centre and the subjective.")
        values = {
            "cost_centre": cost_centre.strip().upper(),
            "subjective": subjective.strip(),
            "description_contains": description_contains.strip(),
        }
        if MatchingRule.objects.filter(allocation=allocation, kind=kind, **values).exists():
            raise ValidationError("There is already a rule for that coding.")
    rule = MatchingRule(allocation=allocation, kind=kind, line=line, **values)
    rule.save()
    return rule


@action("can_edit_budget")
def rule_apply_to_queue(*, rule: MatchingRule, actor) -> list[LedgerRow]:
    """Place the queued rows a new rule matches on its line, as if allocated by hand (the rows
    themselves are never edited). All or nothing."""
    rows = rule_queue_matches(rule)
    for row in rows:
        row_allocate(row=row, splits=[(rule.line, row.amount)], actor=actor)
    return rows


@action("can_edit_budget")
def rule_delete(*, rule: MatchingRule, actor) -> None:
    rule.delete()


# --- periods -----------------------------------------------------------------------------


def period_close_problem(allocation, period: int, states: dict | None = None) -> str:
    """Why the period cannot be closed now, or "": periods close in order (every earlier one
    closed first), each once its month has ended."""
    year = allocation.financial_year
    states = period_states(allocation) if states is None else states
    if period in states and states[period].closed:
        return f"Period {period} is already closed."
    still_open = [p for p in range(1, period) if not (p in states and states[p].closed)]
    if still_open:
        first = still_open[0]
        return (
            f"Close period {first} ({year.period_start(first):%B %Y}) first. Periods close in "
            f"order: every period before period {period} must be closed before it."
        )
    month_end = year.period_end(period)
    if timezone.localdate() <= month_end:
        day = month_end + dt.timedelta(days=1)
        return (
            f"Period {period} ({month_end:%B %Y}) can be closed from {day:%-d %B %Y}, "
            "once its month has ended."
        )
    return ""


@action("can_edit_budget")
def period_close(*, allocation, period: int, actor) -> PeriodState:
    """Freeze a period's actuals and keep each line's forecast as it stands, which becomes the
    report's 'previous forecast'. Periods close in order, each once its month has ended.
    Closing a closed period (a double click, or two people at once) raises AlreadyDone."""
    if not 1 <= period <= 12:
        raise ValidationError("Choose a period from 1 to 12.")
    already = AlreadyDone(f"Period {period} is already closed.")
    with transaction.atomic():
        lock_periods(allocation)
        states = period_states(allocation)
        if period in states and states[period].closed:
            raise already
        problem = period_close_problem(allocation, period, states)
        if problem:
            raise ValidationError(problem)
        state = states.get(period) or PeriodState(allocation=allocation, period=period)
        state.closed = True
        state.changed_by = actor
        state.reason = ""
        try:
            with transaction.atomic():
                _reason(state, "Closed").save()
        except IntegrityError:  # closed by someone else since it was read: theirs stands
            raise already from None
        report = budget_report(allocation, as_at=period)
        for line in report.lines:
            snap = ForecastSnapshot(line=line.line, period=period, outturn=line.latest_outturn)
            snap.save()
    return state


@action("is_programme_manager")
def period_reopen(*, allocation, period: int, actor, reason: str) -> PeriodState:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the period is being reopened."})
    with transaction.atomic():
        lock_periods(allocation)
        state = (
            PeriodState.objects.select_for_update()
            .filter(allocation=allocation, period=period, closed=True)
            .first()
        )
        if state is None:
            raise AlreadyDone(f"Period {period} is open already.")
        state.closed = False
        state.changed_by = actor
        state.reason = reason
        _reason(state, f"Reopened: {reason}").save()
    return state


# --- budget, forecasts, commitments, posts -----------------------------------------------


@action("can_edit_budget")
def virement_record(
    *, allocation, from_line, to_line, amount: Decimal, reason, approved_by, approved_on, actor
) -> Virement:
    if from_line == to_line:
        raise ValidationError("Choose two different lines.")
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0."})
    if {from_line.allocation_id, to_line.allocation_id} != {allocation.pk}:
        raise ValidationError("Both lines must be in this year's budget.")
    if not reason.strip() or not approved_by.strip():
        raise ValidationError("Enter the reason and who approved it.")
    virement = Virement(
        allocation=allocation,
        from_line=from_line,
        to_line=to_line,
        amount=amount,
        reason=reason.strip(),
        approved_by=approved_by.strip(),
        approved_on=approved_on,
        recorded_by=actor,
    )
    virement.full_clean(exclude=["allocation", "from_line", "to_line", "recorded_by"])
    with transaction.atomic():
        # The line is locked, so two virements out of it at once cannot both spend its budget.
        line = BudgetLine.objects.select_for_update().get(pk=from_line.pk)
        available = latest_budget(line)
        if amount > available:
            raise ValidationError(
                {
                    "amount": f"{line.title} has £{available:,.2f} of budget: a virement cannot "
                    "take a line below £0."
                }
            )
        virement.save()
    return virement


@action("can_edit_budget")
def line_months_update(
    *,
    line,
    actor,
    version: int,
    profile: dict[int, Decimal],
    forecast: dict[int, Decimal | None],
) -> None:
    """Set a line's monthly budget profile and any hand forecasts. The profile must add up to
    the line's latest budget, so budget-to-date never drifts from the budget. `version` is the
    line's version when the form was opened: if someone saved the months since, StaleEdit lists
    the months they changed."""
    current = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if current.version != version:
        raise _months_changed(current, version)
    current.version += 1
    current.save(update_fields=["version"])
    budget = latest_budget(line)
    total = sum(profile.values(), Decimal("0.00"))
    if total != budget:
        raise ValidationError(
            f"The profile adds up to £{total:,.2f}; it must equal the line's budget £{budget:,.2f}."
        )
    with transaction.atomic():
        existing = {m.period: m for m in LineMonth.objects.filter(line=line)}
        for period in range(1, 13):
            month = existing.get(period) or LineMonth(line=line, period=period)
            new_profile = profile.get(period, Decimal("0.00"))
            new_forecast = forecast.get(period)
            if month.pk and month.profile == new_profile and month.forecast == new_forecast:
                continue
            month.profile = new_profile
            month.forecast = new_forecast
            month.save()


def _months_changed(line, version: int) -> StaleEdit:
    """What changed in a line's months since the line was at `version`."""
    seen = line.history.filter(version=version).order_by("-history_date").first()
    latest = line.history.order_by("-history_date").select_related("history_user").first()
    since = seen.history_date if seen else None
    before: dict[int, object] = {}
    earlier = LineMonth.history.filter(line_id=line.pk, history_date__lte=since) if since else ()
    for old in earlier.order_by("history_date") if since else ():
        before[old.period] = old if old.history_type != "-" else None
    changes = []
    for month in LineMonth.objects.filter(line=line).order_by("period"):
        old = before.get(month.period)
        for name, label in (("profile", "Budget profile"), ("forecast", "Forecast by hand")):
            was, now = getattr(old, name, None), getattr(month, name)
            if was != now:
                changes.append(
                    {
                        "field": f"{label}, period {month.period}",
                        "before": "(blank)" if was is None else f"£{was:,.2f}",
                        "after": "(blank)" if now is None else f"£{now:,.2f}",
                    }
                )
    return StaleEdit(
        line,
        changes,
        changed_by=latest.history_user if latest else None,
        changed_at=latest.history_date if latest else None,
    )


@action("can_edit_budget")
def commitment_record(*, actor, commitment: Commitment, version: int | None = None) -> Commitment:
    """Add a commitment, or save changes to one from the version its form was opened at."""
    return _save_versioned(commitment, version)


@action("can_edit_budget")
def commitment_delete(*, actor, commitment: Commitment) -> None:
    commitment.delete()


@action("can_edit_budget")
def post_record(*, actor, post: Post, version: int | None = None) -> Post:
    """Add a post, or save changes to one from the version its form was opened at."""
    if post.status == Post.Status.APPOINTED and not post.start_date:
        raise ValidationError({"start_date": "Enter the start date of the person appointed."})
    return _save_versioned(post, version)


def _save_versioned(obj, version: int | None):
    if obj.pk:
        obj.version = lock_current(obj, version).version + 1
    obj.full_clean()
    obj.save()
    return obj


@action("is_programme_manager")
def theme_weights_set(*, line, actor, weights: dict) -> None:
    """Programme manager only: how much of the line each of its themes carries."""
    if any(w < 0 for w in weights.values()):
        raise ValidationError("Weights cannot be negative.")
    if weights and not any(weights.values()):
        raise ValidationError("At least one theme needs a weight above 0.")
    with transaction.atomic():
        existing = {w.theme_id: w for w in ThemeWeight.objects.filter(line=line)}
        for theme, weight in weights.items():
            obj = existing.pop(theme.pk, None) or ThemeWeight(line=line, theme=theme)
            if obj.pk and obj.weight == weight:
                continue
            obj.weight = weight
            obj.save()
        for obj in existing.values():
            obj.delete()


@action("can_edit_budget")
def allocation_carry_forward(
    *,
    allocation: BudgetAllocation,
    actor,
    amounts: dict[int, Decimal] | None = None,
    start_year: int | None = None,
) -> BudgetAllocation:
    """Start the next financial year (or a later one) with the same lines (and their themes,
    posts and rules), for when the service funds them again."""
    next_year = start_year or allocation.start_year + 1
    if BudgetAllocation.objects.filter(
        programme=allocation.programme, start_year=next_year
    ).exists():
        raise ValidationError(f"There is already a budget for {next_year}/{(next_year + 1) % 100}.")
    amounts = amounts or {}
    with transaction.atomic():
        lines = list(allocation.lines.prefetch_related("themes", "posts", "rules"))
        total = sum((amounts.get(line.pk, line.amount) for line in lines), Decimal("0.00"))
        new = BudgetAllocation(
            programme=allocation.programme,
            start_year=next_year,
            amount=total,
            funding_source=allocation.funding_source,
            kind=allocation.kind,
            notes=f"Carried forward from {allocation.financial_year.label}.",
        )
        new.save()
        old_settings = allocation_settings(allocation)
        AllocationSettings(
            allocation=new,
            cost_centres=old_settings.cost_centres,
            amber_percent=old_settings.amber_percent,
            red_percent=old_settings.red_percent,
        ).save()
        for line in lines:
            copy = BudgetLine(
                allocation=new,
                order=line.order,
                code=line.code,
                title=line.title,
                amount=amounts.get(line.pk, line.amount),
                description=line.description,
            )
            copy.save()
            copy.themes.set(line.themes.all())
            for post in line.posts.all():
                Post(
                    line=copy,
                    post_number=post.post_number,
                    title=post.title,
                    annual_cost=post.annual_cost,
                    status=post.status,
                    start_date=post.start_date,
                ).save()
            for rule in line.rules.all():
                MatchingRule(
                    allocation=new,
                    kind=rule.kind,
                    post_number=rule.post_number,
                    cost_centre=rule.cost_centre,
                    subjective=rule.subjective,
                    description_contains=rule.description_contains,
                    line=copy,
                ).save()
    return new
