"""The monitoring report and the ledger rows as XLSX and CSV.

Text that a spreadsheet would run as a formula (starting =, +, -, @, or a tab or carriage
return) is prefixed with an apostrophe; money stays a number (Decimal), never a float.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from havering_improve.fy import period_month_name

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


def ledger_row_values(row) -> list:
    if row.line_id:
        line = row.line.title
    else:
        line = "; ".join(f"{a.line.title} {a.amount}" for a in row.allocations.all()) or (
            "Waiting for allocation"
        )
    return [
        row.posting_date,
        row.period,
        row.cost_centre,
        row.subjective,
        row.reference,
        row.post_number,
        row.description,
        row.amount,
        line,
        row.rule.describe() if row.rule_id and row.rule else row.get_match_display(),
    ]


def to_xlsx(title: str, header: list, rows, *, notes: list[str] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for note in notes or []:
        sheet.append([safe(note)])
    bold = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe(value))
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00;-#,##0.00"
            elif hasattr(value, "isoformat"):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_csv(header: list, rows, *, notes: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for note in notes or []:
        writer.writerow([safe(note)])
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else safe(value)
                for value in row
            ]
        )
    return out.getvalue()


def report_notes(report) -> list[str]:
    year = report.allocation.financial_year
    month = period_month_name(report.as_at) if report.as_at else "no periods yet"
    return [
        f"{report.allocation.programme} budget monitoring {year.label}",
        f"As at period {report.as_at} ({month}); negative variances are underspends.",
        f"Underspend to return to corporate budgets: {report.underspend_to_return}",
    ]
