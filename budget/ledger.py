"""Reading ledger extracts (CSV or XLSX) row by row, without loading the whole file.

`read_rows(fileobj, name, year)` yields `ParsedRow`s and collects every problem it finds, by
row and column, in `reader.problems`. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from havering_improve.fy import FinancialYear, period_for_date

# Header (as normalised) → field. Extra columns are ignored; order does not matter.
COLUMNS = {
    "posting date": "posting_date",
    "period": "period",
    "cost centre": "cost_centre",
    "cost centre name": "cost_centre_name",
    "subjective": "subjective",
    "subjective name": "subjective_name",
    "transaction reference": "reference",
    "post number": "post_number",
    "description": "description",
    "amount": "amount",
}
REQUIRED = [
    "Posting Date",
    "Period",
    "Cost Centre",
    "Subjective",
    "Transaction Reference",
    "Amount",
]
FIELD_LABELS = {field: header.title() for header, field in COLUMNS.items()}
FIELD_LABELS["reference"] = "Transaction Reference"

_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
# An amount already in its plainest form (no spaces, £, commas or brackets).
_PLAIN_MONEY = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?\Z")
_CENT = Decimal("0.01")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Problems listed for one file; beyond this the reader only counts them.
MAX_PROBLEMS = 500


class UnreadableFile(Exception):
    pass


@dataclass(slots=True)
class ParsedRow:
    source_row: int
    posting_date: dt.date
    period: int
    cost_centre: str
    cost_centre_name: str
    subjective: str
    subjective_name: str
    reference: str
    post_number: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def _norm_header(value) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("\ufeff", "").strip().lower().split())


def parse_money(value) -> Decimal:
    """Pounds and pence as Decimal: accepts £, thousands separators, bracketed negatives.
    Raises ValueError for anything that is not money (including fractions of a penny)."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, float):
        # XLSX stores numbers as binary floats; repr gives the shortest exact decimal text.
        amount = Decimal(repr(value))
    else:
        text = str(value or "").strip()
        negative = False
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        text = text.replace("£", "").replace(",", "").replace(" ", "")
        if text.startswith("-£"):
            text = "-" + text[2:]
        if not _MONEY.match(text):
            raise ValueError
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern already rules it out
            raise ValueError from None
        if negative:
            if amount < 0:
                raise ValueError
            amount = -amount
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError
    return amount.quantize(Decimal("0.01"))


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial date that arrived as a plain number.
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError
    text = str(value or "").strip()
    match = _UK_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError


def _text(value) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _subjective(value) -> str:
    """Subjectives are four-digit codes; Excel turns 0101 into the number 101."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):04d}"
    return _text(value)


def _csv_rows(fileobj) -> Iterator[list]:
    head = fileobj.read(4096)
    fileobj.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older exports from Excel on Windows.
        encoding = "cp1252"
    if b"\x00" in head:
        raise UnreadableFile("The file is not a CSV or XLSX spreadsheet.")
    text = io.TextIOWrapper(fileobj, encoding=encoding, errors="strict", newline="")
    try:
        yield from csv.reader(text)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableFile(f"The CSV file could not be read: {exc}") from None
    finally:
        text.detach()


def _xlsx_rows(fileobj) -> Iterator[tuple]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise UnreadableFile(f"The XLSX file could not be opened: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


class LedgerReader:
    """Iterate `rows()` once; afterwards `problems` and `problem_count` say what was wrong."""

    def __init__(self, fileobj, name: str, year: FinancialYear):
        self.fileobj = fileobj
        self.name = name
        self.year = year
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.blank_rows = 0

    def _problem(self, row, column, message):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))

    def _raw_rows(self):
        lower = self.name.lower()
        if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
            return _xlsx_rows(self.fileobj)
        if lower.endswith(".csv") or lower.endswith(".txt"):
            return _csv_rows(self.fileobj)
        raise UnreadableFile("The file must be a CSV (.csv) or Excel workbook (.xlsx).")

    def rows(self) -> Iterator[ParsedRow]:
        try:
            raw = self._raw_rows()
            header = None
            header_row = 0
            for number, cells in enumerate(raw, start=1):
                if any(_text(c) for c in cells):
                    header, header_row = cells, number
                    break
            if header is None:
                self._problem(None, "", "The file is empty: there is no header row.")
                return
            index = {}
            for position, cell in enumerate(header):
                field = COLUMNS.get(_norm_header(cell))
                if field and field not in index:
                    index[field] = position
            missing = [h for h in REQUIRED if COLUMNS[h.lower()] not in index]
            for column in missing:
                self._problem(header_row, column, f"The column “{column}” is missing.")
            if missing:
                return
            yield from self._data_rows(raw, index, header_row)
        except UnreadableFile as exc:
            self._problem(None, "", str(exc))

    def _data_rows(self, raw, index, header_row):
        # Hot loop (100,000-row extracts). Positions are looked up once; an absent optional
        # column reads from a padding cell that is always None. Each row first tries a fast path
        # for the usual shapes (dates and periods from small caches, since an extract repeats
        # the same few hundred dates; plain amounts straight to Decimal). Anything unusual or
        # wrong goes through `_check_row`, which says exactly what is wrong and where.
        year = self.year
        start, end = year.start, year.end
        blank_pos = max(index.values()) + 1
        pos = {field: index.get(field, blank_pos) for field in COLUMNS.values()}
        width = blank_pos + 1
        p_date, p_period, p_amount = pos["posting_date"], pos["period"], pos["amount"]
        p_ref, p_cc, p_ccn = pos["reference"], pos["cost_centre"], pos["cost_centre_name"]
        p_subj, p_subjn, p_post = pos["subjective"], pos["subjective_name"], pos["post_number"]
        p_desc = pos["description"]
        dates: dict[str, tuple[dt.date, int] | None] = {}
        periods = {str(n): n for n in range(1, 13)}
        plain_money = _PLAIN_MONEY.match
        cent = _CENT
        text = _text
        check = self._check_row
        for number, cells in enumerate(raw, start=header_row + 1):
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            raw_date = cells[p_date]
            if raw_date.__class__ is str:
                known = dates.get(raw_date, False)
                if known is False:
                    known = _date_in_year(raw_date, start, end)
                    if len(dates) < 4096:
                        dates[raw_date] = known
            else:
                known = None
            raw_amount = cells[p_amount]
            reference = cells[p_ref]
            cost_centre = cells[p_cc]
            if (
                known is not None
                and periods.get(cells[p_period]) == known[1]
                and raw_amount.__class__ is str
                and plain_money(raw_amount)
                and reference.__class__ is str
                and cost_centre.__class__ is str
            ):
                reference = reference.strip()
                cost_centre = cost_centre.strip().upper()
                subjective = cells[p_subj]
                if reference and cost_centre and subjective.__class__ is str:
                    yield ParsedRow(
                        number,
                        known[0],
                        known[1],
                        cost_centre,
                        text(cells[p_ccn])[:200],
                        subjective.strip(),
                        text(cells[p_subjn])[:200],
                        reference[:100],
                        text(cells[p_post]).upper(),
                        text(cells[p_desc])[:500],
                        Decimal(raw_amount).quantize(cent),
                    )
                    continue
            row = check(number, cells, pos)
            if row is not None:
                yield row

    def _check_row(self, number, cells, pos) -> ParsedRow | None:
        """Read one row the careful way, listing every problem by row and column."""
        if not any((c.strip() if isinstance(c, str) else c is not None) for c in cells):
            self.blank_rows += 1
            return None
        year = self.year
        start, end = year.start, year.end
        ok = True
        try:
            posting_date = parse_date(cells[pos["posting_date"]])
        except ValueError:
            ok = False
            self._problem(
                number,
                "Posting Date",
                f"“{_text(cells[pos['posting_date']])}” is not a date like 28/04/2019.",
            )
            posting_date = None
        period_text = _text(cells[pos["period"]])
        try:
            period = int(period_text)
            if not 1 <= period <= 12:
                raise ValueError
        except ValueError:
            ok = False
            self._problem(number, "Period", f"“{period_text}” is not a period from 1 to 12.")
            period = None
        try:
            amount = parse_money(cells[pos["amount"]])
        except ValueError:
            ok = False
            self._problem(
                number,
                "Amount",
                f"“{_text(cells[pos['amount']])}” is not an amount of money like 1,250.00.",
            )
            amount = None
        reference = _text(cells[pos["reference"]])
        if not reference:
            ok = False
            self._problem(number, "Transaction Reference", "The transaction reference is empty.")
        cost_centre = _text(cells[pos["cost_centre"]]).upper()
        if not cost_centre:
            ok = False
            self._problem(number, "Cost Centre", "The cost centre is empty.")
        if posting_date is not None:
            if not start <= posting_date <= end:
                ok = False
                self._problem(
                    number,
                    "Posting Date",
                    f"{posting_date:%d/%m/%Y} is outside financial year {year.label}.",
                )
            elif period is not None and period_for_date(posting_date) != period:
                ok = False
                self._problem(
                    number,
                    "Period",
                    f"Period {period} does not match the posting date {posting_date:%d/%m/%Y}"
                    f" (period {period_for_date(posting_date)}).",
                )
        if not ok:
            return None
        return ParsedRow(
            source_row=number,
            posting_date=posting_date,
            period=period,
            cost_centre=cost_centre,
            cost_centre_name=_text(cells[pos["cost_centre_name"]])[:200],
            subjective=_subjective(cells[pos["subjective"]]),
            subjective_name=_text(cells[pos["subjective_name"]])[:200],
            reference=reference[:100],
            post_number=_text(cells[pos["post_number"]]).upper(),
            description=_text(cells[pos["description"]])[:500],
            amount=amount,
        )


def _date_in_year(text: str, start: dt.date, end: dt.date) -> tuple[dt.date, int] | None:
    """(date, period) for a date written as text inside the year, else None (the careful path
    then says what is wrong)."""
    try:
        day = parse_date(text)
    except ValueError:
        return None
    if not start <= day <= end:
        return None
    return day, period_for_date(day)


def open_stored(field_file):
    """A binary file object for a stored upload, positioned at the start."""
    field_file.open("rb")
    return field_file.file


__all__ = [
    "LedgerReader",
    "ParsedRow",
    "Problem",
    "UnreadableFile",
    "open_stored",
    "parse_date",
    "parse_money",
]
