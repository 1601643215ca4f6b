"""The monitoring report and the ledger rows as XLSX and CSV.

In XLSX, text is written as a string cell, which a spreadsheet never runs as a formula, so it
goes out exactly as it is; money is a £ number cell, a percentage a fraction shown as a
percentage, a date a date cell. Columns are as wide as their content (capped), the header
row is frozen and filtered, and a sheet prints landscape, fitted to the page's width.

CSV has no cell types: text that a spreadsheet would run as a formula (starting =, +, -, @,
or a tab or carriage return) is prefixed with an apostrophe there. A CSV starts with a UTF-8
byte-order mark, so that Excel reads it as UTF-8 (£, – and é, not Â£, â€“ and Ã©).
Money stays a number (Decimal), never a float.

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

import xlsxwriter
from django.utils.text import slugify

from .models import LEDGER_ROW_COLUMNS, LedgerRow, MatchingRule, RowAllocation

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A CSV cell's value: text a spreadsheet would run as a formula gets an apostrophe."""
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

# What each report column holds, for the XLSX cell formats (see `xlsx_file`).
MONEY, PERCENT = "money", "percent"
REPORT_KINDS = {"Forecast variance %": PERCENT}


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


# Cell formats: money in pounds, negatives red with a minus; dates as the service shows them.
MONEY_FORMAT = "£#,##0.00;[Red]-£#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "d mmmm yyyy"
# Column widths, in characters: as wide as the longest value seen (or the longest word of
# the header, which wraps), within these bounds; a date column fits "30 September 2026".
MIN_WIDTH, MAX_WIDTH, DATE_WIDTH = 8, 60, 18


HEADER_LINE_HEIGHT = 15  # points, a line of the default font


def _wrapped_lines(text: str, width: int) -> int:
    """The lines `text` wraps to in a column `width` characters wide (word by word)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _money_width(value) -> int:
    return len(f"-£{abs(value):,.2f}")


def xlsx_file(
    title: str,
    header: list,
    rows: Iterable,
    *,
    notes: list | None = None,
    kinds: dict[str, str] | None = None,
):
    """The rows as an XLSX workbook in a temporary file (positioned at its start), written by
    XlsxWriter in constant-memory mode (each row goes to disk as it is written): memory stays
    flat however many rows there are. Text is always written as a string cell, as it is (a
    string cell is never a formula). A Decimal is money, unless `kinds` names its column (by
    header) PERCENT: then it is a percentage (8.3 written as 0.083, shown "8.3%").

    `notes` are rows above the header (each a text, or a list of cells: a label and its
    figure); the header row stays in view as the rows scroll, carries the filter buttons,
    and is repeated on each printed page. Widths come from the longest value written in
    each column: the sheet's columns are set when it is closed, so the rows still stream."""
    out = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    money = workbook.add_format({"num_format": MONEY_FORMAT})
    percent = workbook.add_format({"num_format": PERCENT_FORMAT})
    day = workbook.add_format({"num_format": DATE_FORMAT})
    kinds = kinds or {}
    percent_columns = {n for n, name in enumerate(header) if kinds.get(name) == PERCENT}
    widths = [max([MIN_WIDTH, *(len(word) + 1 for word in name.split())]) for name in header]

    def write(sheet, line: int, row) -> None:
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    sheet.write_string(line, column, value)
                    size = len(value)
                else:
                    continue
            elif kind is Decimal:
                if column in percent_columns:
                    sheet.write_number(line, column, value / 100, percent)
                    size = len(f"{value:.1f}%")
                else:
                    sheet.write_number(line, column, value, money)
                    size = _money_width(value)
            elif kind is int or kind is float:
                sheet.write_number(line, column, value)
                size = len(str(value))
            elif isinstance(value, dt.date):
                sheet.write_datetime(line, column, value, day)
                size = DATE_WIDTH
            elif value is not None:
                text = str(value)
                sheet.write_string(line, column, text)
                size = len(text)
            else:
                continue
            if column < len(widths) and size > widths[column]:
                widths[column] = size

    for number, note in enumerate(notes or []):
        if isinstance(note, str):  # a line of text, overflowing into the empty cells beside it
            sheet.write_string(number, 0, note, bold if number == 0 else None)
        else:  # a label and its figure: the column is made wide enough for the label
            write(sheet, number, note)

    # The header's height is set as it is written (rows stream), for the narrowest its columns
    # can be: never too short for the wrapped names, at worst a line taller than needed.
    header_lines = max(
        _wrapped_lines(name, width) for name, width in zip(header, widths, strict=True)
    )

    def write_header(sheet, at: int) -> int:
        sheet.set_row(at, HEADER_LINE_HEIGHT * header_lines)
        for column, text in enumerate(header):
            sheet.write_string(at, column, text, heading)
        return at + 1

    header_at = len(notes or [])
    line = write_header(sheet, header_at)
    written = [(sheet, header_at)]  # each sheet and its header's row
    for row in rows:
        if line == SHEET_ROWS:  # a sheet is full: the rows go on, under the header, on the next
            sheet = workbook.add_worksheet(f"{title[:24]} ({len(written) + 1})")
            written.append((sheet, 0))
            line = write_header(sheet, 0)
        write(sheet, line, row)
        line += 1
    for number, (sheet, header_at) in enumerate(written):
        last = line - 1 if number == len(written) - 1 else SHEET_ROWS - 1
        for column, width in enumerate(widths):
            sheet.set_column(column, column, min(width, MAX_WIDTH) + 2)
        sheet.freeze_panes(header_at + 1, 0)
        sheet.autofilter(header_at, 0, max(last, header_at), len(header) - 1)
        sheet.repeat_rows(header_at)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    workbook.close()
    out.seek(0)
    return out


def to_xlsx(title: str, header: list, rows, *, notes: list | None = None, kinds=None) -> bytes:
    with xlsx_file(title, header, rows, notes=notes, kinds=kinds) as out:
        return out.read()


class _Line:
    """csv.writer's file: each row written comes back as its text."""

    def write(self, text):
        return text


CSV_LINES_PER_CHUNK = 500
CSV_DATE = "%d/%m/%Y"


BOM = "\ufeff"


def csv_lines(header: list, rows: Iterable, *, notes: list | None = None) -> Iterator[str]:
    """The rows as CSV text, a few hundred lines at a time, as they are read, after a UTF-8
    byte-order mark (so Excel reads £ and é as they are). `notes` (each a text or a list of
    cells) come before the header. Dates are written day first; text a spreadsheet would run
    as a formula gets its apostrophe (as `safe`, written out here: this runs for every cell of
    a ledger of hundreds of thousands of rows)."""
    writer = csv.writer(_Line())
    yield BOM + "".join(
        writer.writerow([safe(cell) for cell in ([note] if isinstance(note, str) else note)])
        for note in notes or []
    )
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


def to_csv(header: list, rows, *, notes: list | None = None) -> str:
    return "".join(csv_lines(header, rows, notes=notes))


def month_of_period(allocation, period: int) -> str:
    """A period of the allocation's year as its month: "November 2026"."""
    return f"{allocation.financial_year.period_start(period):%B %Y}"


def report_notes(report) -> list:
    year = report.allocation.financial_year
    month = month_of_period(report.allocation, report.as_at) if report.as_at else "no periods yet"
    return [
        f"{report.allocation.programme} budget monitoring {year.label}",
        f"As at period {report.as_at} ({month}); negative variances are underspends.",
        ["Underspend to return to corporate budgets", report.underspend_to_return],
    ]


def ledger_filter_words(allocation, *, line=None, up_to=None, period=None, queue=False):
    """What a filtered ledger download holds, said in a line above its header and in its
    file name: ("Filtered: budget line Family Therapists; periods up to 8 (November 2026)",
    "family-therapists-to-period-8"); (None, "") when it holds every row."""
    said, named = [], []
    if line is not None:
        said.append(f"budget line {line.title}")
        named.append(slugify(line.title))
    if period:
        said.append(f"period {period} ({month_of_period(allocation, period)})")
        named.append(f"period-{period}")
    if up_to:
        said.append(f"periods up to {up_to} ({month_of_period(allocation, up_to)})")
        named.append(f"to-period-{up_to}")
    if queue:
        said.append("rows waiting for allocation")
        named.append("waiting-for-allocation")
    if not said:
        return None, ""
    return "Filtered: " + "; ".join(said), "-".join(named)
