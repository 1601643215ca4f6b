"""Reading ledger extracts (CSV or XLSX) row by row, without loading the whole file.

`LedgerReader(fileobj, name, year).rows()` yields `ParsedRow`s and collects every problem it
finds, by row and column, in the reader's `problems`. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from havering_improve.fy import FinancialYear, period_for_date
from havering_improve.uploads import Problem, UnreadableFile, csv_rows, shown

from . import workbooks

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
# The longest text each column of a ledger row holds (as LedgerRow's fields do). Longer text is
# a problem at its row and column, never cut short.
MAX_LENGTHS = {
    "cost_centre": 40,
    "cost_centre_name": 200,
    "subjective": 40,
    "subjective_name": 200,
    "reference": 100,
    "post_number": 40,
    "description": 500,
}
# Amounts are held to the penny in 14 digits (LedgerRow.amount), so below a trillion pounds.
MAX_AMOUNT = Decimal(10**12)


class AmountTooLarge(ValueError):
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


def _norm_header(value) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("\ufeff", "").strip().lower().split())


def parse_money(value) -> Decimal:
    """Pounds and pence as Decimal: accepts £, thousands separators, bracketed negatives.
    Raises ValueError for anything that is not money (including fractions of a penny, and
    infinity or "not a number" from a spreadsheet), AmountTooLarge for a trillion pounds or
    more."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
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
    if abs(amount) >= MAX_AMOUNT:
        raise AmountTooLarge
    pennies = amount.quantize(_CENT)
    if amount != pennies:
        raise ValueError
    return pennies


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
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10_000:
        return f"{value:04d}"
    if isinstance(value, float) and value.is_integer() and 0 <= value < 10_000:
        return f"{int(value):04d}"
    return _text(value)


def _shown(value) -> str:
    """A cell's text as a problem message repeats it: the first few dozen characters."""
    return shown(
        _text(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    )


def _csv_rows(fileobj) -> Iterator[list]:
    return csv_rows(fileobj, noun="extract")


class LedgerReader:
    """Iterate `rows()` once; afterwards `problems` and `problem_count` say what was wrong."""

    def __init__(self, fileobj, name: str, year: FinancialYear):
        self.fileobj = fileobj
        self.name = name
        self.year = year
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.blank_rows = 0
        # Rows dated outside the year, by the start year of the financial year they are in.
        self.outside_years: Counter[int] = Counter()

    def _problem(self, row, column, message):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))

    def other_year(self) -> FinancialYear | None:
        """The one other financial year that every refused row is dated in, when that is the
        only problem the file has (so a whole extract uploaded to the wrong year is one
        problem, not one a row). Whether any row was read at all is for the caller to say."""
        if len(self.outside_years) != 1:
            return None
        (start_year, rows), *_ = self.outside_years.items()
        return FinancialYear(start_year) if rows == self.problem_count else None

    def _raw_rows(self):
        lower = self.name.lower()
        if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
            return workbooks.xlsx_rows(self.fileobj)
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
        limits = MAX_LENGTHS
        l_cc, l_ccn, l_subj = (
            limits["cost_centre"],
            limits["cost_centre_name"],
            limits["subjective"],
        )
        l_subjn, l_ref, l_post = (
            limits["subjective_name"],
            limits["reference"],
            limits["post_number"],
        )
        l_desc = limits["description"]
        last_row = workbooks.MAX_ROWS
        for number, cells in enumerate(raw, start=header_row + 1):
            if number > last_row:
                self._problem(
                    number,
                    "",
                    f"The file has more than {workbooks.MAX_ROWS:,} rows, more than a ledger "
                    "extract has. Split it into smaller extracts.",
                )
                return
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
                    subjective = subjective.strip()
                    cost_centre_name = text(cells[p_ccn])
                    subjective_name = text(cells[p_subjn])
                    post_number = text(cells[p_post]).upper()
                    description = text(cells[p_desc])
                    if (
                        len(reference) <= l_ref
                        and len(cost_centre) <= l_cc
                        and len(subjective) <= l_subj
                        and len(cost_centre_name) <= l_ccn
                        and len(subjective_name) <= l_subjn
                        and len(post_number) <= l_post
                        and len(description) <= l_desc
                    ):
                        yield ParsedRow(
                            number,
                            known[0],
                            known[1],
                            cost_centre,
                            cost_centre_name,
                            subjective,
                            subjective_name,
                            reference,
                            post_number,
                            description,
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
        except (ValueError, OverflowError):
            ok = False
            self._problem(
                number,
                "Posting Date",
                f"“{_shown(cells[pos['posting_date']])}” is not a date like 28/04/2019.",
            )
            posting_date = None
        period_text = _shown(cells[pos["period"]])
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
        except AmountTooLarge:
            ok = False
            self._problem(
                number,
                "Amount",
                f"“{_shown(cells[pos['amount']])}” is too large: an amount must be less than "
                f"£{MAX_AMOUNT:,.0f}.",
            )
            amount = None
        except ValueError:
            ok = False
            self._problem(
                number,
                "Amount",
                f"“{_shown(cells[pos['amount']])}” is not an amount of money like 1,250.00.",
            )
            amount = None
        values = {
            "reference": _text(cells[pos["reference"]]),
            "cost_centre": _text(cells[pos["cost_centre"]]).upper(),
            "cost_centre_name": _text(cells[pos["cost_centre_name"]]),
            "subjective": _subjective(cells[pos["subjective"]]),
            "subjective_name": _text(cells[pos["subjective_name"]]),
            "post_number": _text(cells[pos["post_number"]]).upper(),
            "description": _text(cells[pos["description"]]),
        }
        if not values["reference"]:
            ok = False
            self._problem(number, "Transaction Reference", "The transaction reference is empty.")
        if not values["cost_centre"]:
            ok = False
            self._problem(number, "Cost Centre", "The cost centre is empty.")
        for field, value in values.items():
            limit = MAX_LENGTHS[field]
            if len(value) > limit:
                ok = False
                self._problem(
                    number,
                    FIELD_LABELS[field],
                    f"“{_shown(value)}” is {len(value):,} characters long; the ledger keeps at "
                    f"most {limit}.",
                )
        if posting_date is not None:
            if not start <= posting_date <= end:
                ok = False
                self.outside_years[FinancialYear.for_date(posting_date).start_year] += 1
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
            amount=amount,
            **values,
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
