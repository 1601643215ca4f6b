"""The monitoring report and the ledger rows as XLSX and CSV.

Text that a spreadsheet would run as a formula (starting =, +, -, @, or a tab or carriage
return) is prefixed with an apostrophe; money stays a number (Decimal), never a float.

The ledger may have hundreds of thousands of rows, so its export reads only the columns it
writes, a chunk at a time from a server-side cursor (`ledger_values`), and never holds the
file in memory: CSV goes out line by line as it is written (`csv_lines`), XLSX is written by
XlsxWriter's constant-memory mode to a temporary file that is then sent (`xlsx_file`).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from havering_improve.fy import period_month_name

from .models import LEDGER_ROW_COLUMNS

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


REPORT_HEADER = [
    "Budget line",
    "Original budget",
    "Latest budget",
    "Budget to date",
    "Actual to date",
    "Variance to date",
    "Commitments",
    "Previous forecast outturn",
    "Latest forecast outturn",
    "Forecast variance",
    "Forecast variance %",
    "RAG",
]


def report_rows(report) -> list[list]:
    rows = []
    for f in [*report.lines, report.total]:
        rows.append(
            [
                f.title,
                f.original,
                f.latest,
                f.budget_to_date,
                f.actual_to_date,
                f.variance_to_date,
                f.commitments,
                f.previous_outturn if f.previous_outturn is not None else "",
                f.latest_outturn,
                f.forecast_variance,
                f.forecast_variance_percent if f.forecast_variance_percent is not None else "",
                f.rag.capitalize(),
            ]
        )
    return rows


LEDGER_HEADER = [
    "Posting Date",
    "Period",
    "Cost Centre",
    "Subjective",
    "Transaction Reference",
    "Post Number",
    "Description",
    "Amount",
    "Budget line",
    "Matched by",
]


# Read per ledger row, in this order, by `ledger_values`: its id and the ledger's columns but
# those the download does not write.
_NOT_WRITTEN = {
    "batch_id",
    "allocation_id",
    "source_row",
    "cost_centre_name",
    "subjective_name",
    "active",
}
_LEDGER_FIELDS = ("pk", *(c for c in LEDGER_ROW_COLUMNS if c not in _NOT_WRITTEN))
EXPORT_CHUNK = 2000


def ledger_values(rows, allocation) -> Iterator[list]:
    """The export's values for a queryset of ledger rows: only the columns written are read, a
    chunk at a time from one query, with the year's lines and rules looked up once and the
    splits of rows shared between lines by hand read once (each split is a person's decision,
    so they are few): four queries, whatever the number of rows."""
    from .models import LedgerRow, MatchingRule, RowAllocation

    lines = dict(allocation.lines.values_list("pk", "title"))
    rules = {
        rule.pk: rule.describe() for rule in MatchingRule.objects.filter(allocation=allocation)
    }
    matches = dict(LedgerRow.Match.choices)
    splits: dict[int, list[tuple[str, Decimal]]] = {}
    for row_id, line_id, amount in (
        RowAllocation.objects.filter(row__in=rows.order_by().values("pk"))
        .order_by("row", "pk")
        .values_list("row_id", "line_id", "amount")
    ):
        splits.setdefault(row_id, []).append((lines.get(line_id, ""), amount))
    waiting = "Waiting for allocation"
    stream = rows.values_list(*_LEDGER_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    for pk, date, period, cc, subj, ref, post, text, amount, line_id, rule_id, match in stream:
        matched_by = rules.get(rule_id) if rule_id is not None else None
        if line_id is not None:
            line = lines.get(line_id, "")
        elif pk in splits:
            # The column holds line names alone; how the row was shared is said beside it.
            shares = splits[pk]
            line = "; ".join(name for name, _ in shares)
            matched_by = (
                "Allocated by hand"
                if len(shares) == 1
                else "Split by hand: "
                + "; ".join(f"£{amount:,.2f} to {name}" for name, amount in shares)
            )
        else:
            line = waiting
        yield [
            date,
            period,
            cc,
            subj,
            ref,
            post,
            text,
            amount,
            line,
            matched_by or matches.get(match, match),
        ]


# The rows a worksheet holds (Excel's limit); XlsxWriter drops rows past it without an error.
SHEET_ROWS = 1_048_576


def xlsx_file(title: str, header: list, rows: Iterable, *, notes: list[str] | None = None):
    """The rows as an XLSX workbook in a temporary file (positioned at its start), written by
    XlsxWriter in constant-memory mode (each row goes to disk as it is written): memory stays
    flat however many rows there are. Text is always written as text, never as a formula."""
    import xlsxwriter

    out = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00;-#,##0.00"})
    day = workbook.add_format({"num_format": "DD/MM/YYYY"})
    notes = notes or []
    for number, note in enumerate(notes):
        sheet.write_string(number, 0, safe(note))

    def write_header(sheet, at: int) -> int:
        for column, text in enumerate(header):
            sheet.write_string(at, column, text, bold)
        return at + 1

    line, sheets = write_header(sheet, len(notes)), 1
    for row in rows:
        if line == SHEET_ROWS:  # a sheet is full: the rows go on, under the header, on the next
            sheets += 1
            sheet = workbook.add_worksheet(f"{title[:24]} ({sheets})")
            line = write_header(sheet, 0)
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    sheet.write_string(line, column, safe(value))
            elif kind is Decimal:
                sheet.write_number(line, column, value, money)
            elif kind is int or kind is float:
                sheet.write_number(line, column, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(line, column, value, day)
            elif value is not None:
                sheet.write_string(line, column, safe(str(value)))
        line += 1
    workbook.close()
    out.seek(0)
    return out


def to_xlsx(title: str, header: list, rows, *, notes: list[str] | None = None) -> bytes:
    with xlsx_file(title, header, rows, notes=notes) as out:
        return out.read()


class _Line:
    """csv.writer's file: each row written comes back as its text."""

    def write(self, text):
        return text


CSV_LINES_PER_CHUNK = 500
CSV_DATE = "%d/%m/%Y"


def csv_lines(header: list, rows: Iterable, *, notes: list[str] | None = None) -> Iterator[str]:
    """The rows as CSV text, a few hundred lines at a time, as they are read. Dates are written
    day first; text a spreadsheet would run as a formula gets its apostrophe (as `safe`, written
    out here: this runs for every cell of a ledger of hundreds of thousands of rows)."""
    writer = csv.writer(_Line())
    yield "".join(writer.writerow([safe(note)]) for note in notes or [])
    yield writer.writerow(header)
    rows = iter(rows)
    text, day = str, dt.date
    while chunk := list(islice(rows, CSV_LINES_PER_CHUNK)):
        yield "".join(
            writer.writerow(
                [
                    (("'" + value) if value.startswith(DANGEROUS) else value)
                    if type(value) is text
                    else (value.strftime(CSV_DATE) if isinstance(value, day) else value)
                    for value in row
                ]
            )
            for row in chunk
        )


def to_csv(header: list, rows, *, notes: list[str] | None = None) -> str:
    return "".join(csv_lines(header, rows, notes=notes))


def report_notes(report) -> list[str]:
    year = report.allocation.financial_year
    month = period_month_name(report.as_at) if report.as_at else "no periods yet"
    return [
        f"{report.allocation.programme} budget monitoring {year.label}",
        f"As at period {report.as_at} ({month}); negative variances are underspends.",
        f"Underspend to return to corporate budgets: {report.underspend_to_return}",
    ]
