"""Ledger imports: the month-end extract from the council's ledger into the year's ledger rows.

An upload keeps the file and checks every row (`ledger_import_upload`): the import waits for
confirmation with a preview of what the file holds (an `ImportSummary`, kept on the import as
JSON), or is rejected with every problem listed. Confirming reads the file again and brings its
new rows into the ledger in one transaction (`ledger_import_confirm`); a preview can be
cancelled, and an import reversed with a reason. Each of these is an action
(`havering_improve.actions`).

Rows reach the ledger only through `ledger_rows_insert`, in bulk, and the file is read a chunk at
a time, so memory stays flat however large the file and the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from havering_improve import summaries, uploads
from havering_improve.actions import action
from havering_improve.errors import AlreadyDone

from .ledger import MAX_AMOUNT, LedgerReader, ParsedRow, Problem, open_stored
from .models import LEDGER_ROW_COLUMNS, LedgerImport, LedgerRow, MatchingRule, with_reason
from .periods import lock_periods
from .selectors import Matcher, allocation_settings, closed_periods
from .services import allocation_settings_update

# Rows written to the database at a time (ledger rows, and the references of the file).
INSERT_BATCH = 5000
# Rows read before their references are looked up in the ledger, all at once.
LOOKUP_CHUNK = 5000
# Rows of each kind kept in the preview for display; counts and totals cover them all.
PREVIEW_LIMIT = 200

ZERO = Decimal("0.00")
# What becomes of a row of the file: placed on a line by a rule, left for allocation by hand,
# another cost centre's (listed, never counted), or already in the ledger (skipped).
KINDS = ("matched", "unmatched", "other", "duplicate")


# --- the preview -------------------------------------------------------------------------


@dataclass
class SampleRow:
    """One row of the file as the preview lists it."""

    row: int
    date: dt.date
    period: int
    cost_centre: str
    subjective: str
    reference: str
    post_number: str
    description: str
    amount: Decimal
    # A matched row's budget line and the rule that placed it there; blank for other rows.
    line: str = ""
    rule: str = ""

    @classmethod
    def of(cls, row: ParsedRow, rule: MatchingRule | None) -> SampleRow:
        return cls(
            row=row.source_row,
            date=row.posting_date,
            period=row.period,
            cost_centre=row.cost_centre,
            subjective=row.subjective,
            reference=row.reference,
            post_number=row.post_number,
            description=row.description,
            amount=row.amount,
            line=rule.line.title if rule else "",
            rule=rule.describe() if rule else "",
        )

    def to_json(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["amount"] = str(self.amount)
        if not self.rule:
            del data["line"], data["rule"]
        return data

    @classmethod
    def from_json(cls, data: dict) -> SampleRow:
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["date"] = dt.date.fromisoformat(data["date"])
        values["amount"] = Decimal(data["amount"])
        return cls(**values)


@dataclass
class RowsOfKind:
    """The file's rows of one kind: how many, their total, and the first PREVIEW_LIMIT."""

    count: int = 0
    total: Decimal = ZERO
    samples: list[SampleRow] = field(default_factory=list)


@dataclass(frozen=True)
class RuleCount:
    """How many of the file's rows one matching rule placed ("Post P10238 → Project Manager")."""

    rule: str
    rows: int


@dataclass
class ImportSummary:
    """What an import's file holds: its rows of each kind (see KINDS), blank rows, the rows each
    rule matched, and how many problems it has. The import keeps it in `LedgerImport.summary`
    (`to_json`); `ImportSummary.of(batch)` reads it back, from any import ever stored."""

    matched: RowsOfKind = field(default_factory=RowsOfKind)
    unmatched: RowsOfKind = field(default_factory=RowsOfKind)
    other: RowsOfKind = field(default_factory=RowsOfKind)
    duplicate: RowsOfKind = field(default_factory=RowsOfKind)
    blank_rows: int = 0
    by_rule: list[RuleCount] = field(default_factory=list)
    problem_count: int = 0
    # Every row is dated in this other financial year (its slug): the file is for that year.
    other_year: str = ""

    def kind(self, name: str) -> RowsOfKind:
        return getattr(self, name)

    @property
    def recognised(self) -> RowsOfKind:
        """Every row read, of whatever kind: the file's count and total (no samples)."""
        kinds = [self.kind(name) for name in KINDS]
        return RowsOfKind(
            count=sum(k.count for k in kinds), total=sum((k.total for k in kinds), ZERO)
        )

    @property
    def new_rows(self) -> int:
        """The rows confirming brings into the ledger: matched, or left for allocation."""
        return self.matched.count + self.unmatched.count

    def to_json(self) -> dict:
        recognised = self.recognised
        return {
            "counts": {
                **{name: self.kind(name).count for name in KINDS},
                "blank": self.blank_rows,
                "recognised": recognised.count,
            },
            "totals": {
                **{name: str(self.kind(name).total) for name in KINDS},
                "recognised": str(recognised.total),
            },
            "samples": {
                name: [sample.to_json() for sample in self.kind(name).samples] for name in KINDS
            },
            "by_rule": {count.rule: count.rows for count in self.by_rule},
            "problem_count": self.problem_count,
            "other_year": self.other_year,
        }

    @classmethod
    def from_json(cls, data: dict | None, *, problem_count: int = 0) -> ImportSummary:
        """The summary `to_json` stored. `problem_count` stands in for a summary that does not
        say (one stored before it was counted there)."""
        data = data or {}
        counts, totals, samples = (data.get(key) or {} for key in ("counts", "totals", "samples"))
        kinds = {
            name: RowsOfKind(
                count=counts.get(name, 0),
                total=Decimal(totals.get(name, ZERO)),
                samples=[SampleRow.from_json(s) for s in samples.get(name, ())],
            )
            for name in KINDS
        }
        return cls(
            **kinds,
            blank_rows=counts.get("blank", 0),
            by_rule=[RuleCount(rule, n) for rule, n in sorted((data.get("by_rule") or {}).items())],
            problem_count=data.get("problem_count", problem_count),
            other_year=data.get("other_year", ""),
        )

    @classmethod
    def of(cls, batch: LedgerImport) -> ImportSummary:
        """The summary an import keeps (a rejected file's problems are its errors)."""
        return cls.from_json(batch.summary, problem_count=len(batch.errors))


@dataclass
class Analysis:
    """One reading of a file: the preview, and its problems (`summary.problem_count` counts
    them all; the reader lists only the first of many)."""

    summary: ImportSummary
    problems: list[Problem]


# --- reading the file --------------------------------------------------------------------


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


class _Repeat(NamedTuple):
    """A row whose reference came earlier in the file, with what it was counted as."""

    reference: str
    row: int
    first_row: int
    kind: str
    amount: str
    rule_id: int | None
    closed_period: int | None


class _ReferenceLog:
    """Every row's reference, written to a temporary table as the file is read, so a reference
    that appears twice is found without holding the whole file's references in memory (the
    file may have any number of rows). Each row's kind, amount, rule and closed period go with
    it, so the later copies can be taken back out of the preview's counts."""

    TABLE = "budget_import_refs"
    # The order of the values of each row `add` takes.
    COLUMNS = "reference, source_row, kind, amount, rule_id, closed_period"

    def __init__(self):
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
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
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
        """Every row whose reference came earlier in the file, in row order (`_Repeat`s)."""
        self.flush()
        table = self.TABLE
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.reference, r.source_row, f.first_row, r.kind, r.amount, r.rule_id, "  # noqa: S608
                f"r.closed_period FROM {table} r JOIN (SELECT reference, MIN(source_row) AS "
                f"first_row FROM {table} GROUP BY reference HAVING COUNT(*) > 1) f "
                "ON f.reference = r.reference WHERE r.source_row > f.first_row "
                "ORDER BY r.source_row"
            )
            while chunk := cursor.fetchmany(1000):
                yield from (_Repeat(*found) for found in chunk)

    def close(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
        except DatabaseError:
            # The surrounding transaction already failed (its error is the one that matters);
            # the table goes with it, or with the next import's DROP ... IF EXISTS.
            pass


class _Tally:
    """The running count of one reading of a batch's file, against the year's cost centres,
    rules, ledger and closed periods: the preview's rows of each kind, the rows each rule
    matched, and the new rows that fall in closed periods."""

    def __init__(self, allocation):
        self.allocation_id = allocation.pk
        self.cost_centres = allocation_settings(allocation).cost_centre_codes
        self.closed = closed_periods(allocation)
        self.match = Matcher.for_allocation(allocation).match
        self.summary = ImportSummary()
        self.by_rule: Counter[int] = Counter()
        self.rules: dict[int, MatchingRule] = {}
        self.closed_hits: Counter[int] = Counter()

    def add_chunk(self, chunk: list[ParsedRow], on_row: Callable | None, log) -> None:
        """Sort a chunk of the file's rows into their kinds, handing each new row to `on_row`
        (while no new row has fallen in a closed period) and logging every row in `log`."""
        cost_centres, closed, match = self.cost_centres, self.closed, self.match
        by_rule, rules, closed_hits = self.by_rule, self.rules, self.closed_hits
        kinds = {name: self.summary.kind(name) for name in KINDS}
        existing = _already_in_ledger(
            self.allocation_id, [r.reference for r in chunk if r.cost_centre in cost_centres]
        )
        for row in chunk:
            rule = closed_period = None
            if row.cost_centre not in cost_centres:
                kind = "other"
            elif row.reference in existing:
                kind = "duplicate"
            else:
                if row.period in closed:
                    closed_hits[row.period] += 1
                    closed_period = row.period
                rule = match(row)
                if rule is None:
                    kind = "unmatched"
                else:
                    kind = "matched"
                    by_rule[rule.pk] += 1
                    rules[rule.pk] = rule
                if on_row is not None and not closed_hits:
                    on_row(row, rule)
            rows = kinds[kind]
            rows.count += 1
            rows.total += row.amount
            if len(rows.samples) < PREVIEW_LIMIT:
                rows.samples.append(SampleRow.of(row, rule))
            if log is not None:
                rule_id = rule and rule.pk
                log.add((row.reference, row.source_row, kind, row.amount, rule_id, closed_period))

    def take_back_repeats(self, log: _ReferenceLog) -> list[Problem]:
        """A reference the file has twice is a problem at each later copy, and only its first
        copy counts in the preview."""
        problems = []
        sampled = {s.row for name in KINDS for s in self.summary.kind(name).samples}
        repeated_rows = set()
        for repeat in log.repeats():
            problems.append(
                Problem(
                    repeat.row,
                    "Transaction Reference",
                    f"{repeat.reference} appears twice in the file "
                    f"(rows {repeat.first_row} and {repeat.row}).",
                )
            )
            rows = self.summary.kind(repeat.kind)
            rows.count -= 1
            rows.total -= Decimal(repeat.amount)
            if repeat.rule_id is not None:
                self.by_rule[repeat.rule_id] -= 1
            if repeat.closed_period is not None:
                self.closed_hits[repeat.closed_period] -= 1
            if repeat.row in sampled:
                repeated_rows.add(repeat.row)
        if repeated_rows:
            for name in KINDS:
                rows = self.summary.kind(name)
                rows.samples = [s for s in rows.samples if s.row not in repeated_rows]
        return problems

    def rule_counts(self) -> list[RuleCount]:
        """The rows each rule matched, by the rule and its line, in order."""
        by_label: Counter[str] = Counter()
        for pk, number in self.by_rule.items():
            if number:
                rule = self.rules[pk]
                by_label[f"{rule.describe()} → {rule.line.title}"] += number
        return [RuleCount(label, number) for label, number in sorted(by_label.items())]

    def whole_file_problems(self) -> list[Problem]:
        """What the ledger cannot take from the file as a whole: a total it cannot hold, and
        new rows in closed periods."""
        problems = []
        kept = self.summary.matched.total + self.summary.unmatched.total
        if abs(kept) >= MAX_AMOUNT:
            problems.append(
                Problem(
                    None,
                    "Amount",
                    f"The programme's rows in this file add up to £{kept:,.2f}; the ledger holds "
                    f"an import's total only below £{MAX_AMOUNT:,.0f}. Check the amounts.",
                )
            )
        for period, count in sorted(self.closed_hits.items()):
            if count:
                problems.append(
                    Problem(
                        None,
                        "Period",
                        f"Period {period} is closed, and the file has {count} new row(s) in it. "
                        "Ask the programme manager to reopen the period, or remove those rows.",
                    )
                )
        return problems


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
    tally = _Tally(allocation)
    problems = []
    if not tally.cost_centres:
        problems.append(
            Problem(None, "Cost Centre", "Set the programme's cost centres before importing.")
        )
    log = None if file_checked else _ReferenceLog()
    reader = LedgerReader(
        open_stored(batch.original_file), batch.original_name, allocation.financial_year
    )
    try:
        rows = reader.rows()
        while chunk := list(islice(rows, LOOKUP_CHUNK)):
            tally.add_chunk(chunk, on_row, log)
        if log is not None:
            problems += tally.take_back_repeats(log)
    finally:
        batch.original_file.close()
        if log is not None:
            log.close()
    problems += tally.whole_file_problems()
    summary = tally.summary
    summary.by_rule = tally.rule_counts()
    summary.blank_rows = reader.blank_rows
    read_problems, read_count = reader.problems, reader.problem_count
    other_year = reader.other_year() if not summary.recognised.count else None
    if other_year is not None and read_count > 1:  # one problem for the file, not one a row
        summary.other_year = other_year.slug
        read_problems, read_count = [_other_year_problem(allocation, other_year, read_count)], 1
    summary.problem_count = read_count + len(problems)
    return Analysis(summary=summary, problems=read_problems + problems)


def _other_year_problem(allocation, year, rows: int) -> Problem:
    dated = f"All {rows} rows are dated {year.label}"
    if allocation.programme.allocations.filter(start_year=year.start_year).exists():
        message = f"{dated}: import into {year.label}?"
    else:
        message = f"{dated}, and the programme has no budget for {year.label}."
    return Problem(None, "Posting Date", message)


# --- the actions -------------------------------------------------------------------------


@action("can_edit_budget")
def ledger_import_upload(*, allocation, uploaded_file, actor, cost_centres: str | None = None):
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
        analysis = _walk(batch)
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

        analysis = _walk(batch, on_row=keep, file_checked=True)
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
