"""Reading an Excel workbook a row at a time, within limits a ledger extract never reaches,
so that a small file cannot claim gigabytes of memory or minutes of reading: the size its parts
unpack to is checked before anything is read, entity declarations are refused (defusedxml), and
the rows are read as the sheet's XML streams, each up to a column limit, ending at once at a row
numbered past the row limit."""

from __future__ import annotations

import math
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.worksheet import _reader
from openpyxl.worksheet._reader import WorkSheetParser

from havering_improve.uploads import UnreadableFile

# The most rows one extract may have (a month-end extract has about 100,000; a spreadsheet
# holds at most 1,048,576).
MAX_ROWS = 1_000_000
# An XLSX file is a zip archive: what its parts hold once unpacked is capped before anything is
# read, so a small file cannot claim gigabytes of memory. An extract of the most rows takes
# about 400 MB of sheet XML at most; its shared strings (each distinct text once) far less.
MAX_XLSX_UNPACKED = 512 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS = 64 * 1024 * 1024
# Columns read from a workbook: a ledger extract has a dozen or two.
MAX_COLUMNS = 200


# What a damaged or hostile workbook can raise while it is opened or read.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OverflowError,
    ParseError,
    # defusedxml (which openpyxl uses when present) refuses entity declarations.
    DefusedXmlException,
)


_DAMAGED = (
    "The XLSX file could not be {doing}: it is damaged or is not an Excel workbook. Open it in "
    "Excel and save it again, or export the extract as CSV."
)


def _check_xlsx_size(fileobj) -> None:
    """Refuse a workbook whose parts would unpack to more than the caps, before reading any.
    (Reading a part never yields more than the size its zip entry declares.)"""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnreadableFile(_DAMAGED.format(doing="opened")) from None
    finally:
        fileobj.seek(0)
    unpacked = sum(entry.file_size for entry in entries)
    shared = sum(e.file_size for e in entries if e.filename.lower().endswith("sharedstrings.xml"))
    if unpacked > MAX_XLSX_UNPACKED or shared > MAX_XLSX_SHARED_STRINGS:
        raise UnreadableFile(
            f"The XLSX file unpacks to {unpacked // (1024 * 1024):,} MB, more than a ledger "
            f"extract can hold (at most {MAX_XLSX_UNPACKED // (1024 * 1024)} MB, of which "
            f"{MAX_XLSX_SHARED_STRINGS // (1024 * 1024)} MB of text). Export it as CSV instead."
        )


def _read_numbers_leniently() -> None:
    """openpyxl (3.1) turns a number cell's text into int or float and raises ValueError, in
    the middle of the sheet, for text such as "inf" or "nan" that a tool wrote in a number cell.
    Read those as floats instead (infinity, or "not a number" for anything else), so the row
    check reports the cell by row and column, as it does every other value that is not money."""
    strict = _reader._cast_number
    if getattr(strict, "lenient", False):
        return

    def cast(value):
        try:
            return strict(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return math.nan

    cast.lenient = True
    _reader._cast_number = cast


def _sheet_rows(sheet) -> Iterator[tuple]:
    """A read-only sheet's rows as its XML streams, each up to the column limit. The file
    numbers its rows and leaves blank ones out: those between are given as blank rows (`()`),
    but a row numbered past the row limit ends the reading as soon as it is met, rather than
    after a million made-up blank rows (a 1.5 KB file whose one row is numbered 30,000,000)."""
    book = sheet.parent
    expected = 1
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number > MAX_ROWS + 1:  # a header row and MAX_ROWS rows under it
                raise UnreadableFile(
                    f"The first sheet has a row numbered {number:,}: the file has more than "
                    f"{MAX_ROWS:,} rows, more than a ledger extract has. Split it into smaller "
                    "extracts."
                )
            for _ in range(expected, number):
                yield ()
            expected = max(expected, number + 1)
            yield sheet._get_row(cells, 1, MAX_COLUMNS, values_only=True)


def xlsx_rows(fileobj) -> Iterator[tuple]:
    """The first sheet's rows, each a tuple of its cells' values, read as the file streams;
    UnreadableFile for a workbook too large, damaged or hostile to read."""
    _read_numbers_leniently()
    _check_xlsx_size(fileobj)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except _XLSX_ERRORS:
        raise UnreadableFile(_DAMAGED.format(doing="opened")) from None
    try:
        sheet = workbook.worksheets[0]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise UnreadableFile(
                f"The first sheet says it runs to row {rows:,} and column {columns:,}; a ledger "
                f"extract has at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns."
            )
        # The declared size can be wrong either way: read every row there is, in streaming
        # mode, up to the row limit and the column limit.
        yield from _sheet_rows(sheet)
    except _XLSX_ERRORS:
        raise UnreadableFile(_DAMAGED.format(doing="read")) from None
    finally:
        workbook.close()
