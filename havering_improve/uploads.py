"""Checks for every file a person uploads: its real type (by content, not by its name), its size,
and that its name carries no obvious case identifier (this service holds no case records)."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

# Kinds of file, and how to recognise each from its first bytes.
_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpeg": [b"\xff\xd8\xff"],
    "gif": [b"GIF87a", b"GIF89a"],
}
_OOXML_PART = {"docx": "word/", "xlsx": "xl/"}
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word document (DOCX)",
    "xlsx": "Excel workbook (XLSX)",
    "png": "PNG image",
    "jpeg": "JPEG image",
    "gif": "GIF image",
    "csv": "CSV file",
}
EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "png", "jpeg", "gif")
# The extension a file of each kind is stored under, whatever its name said.
KIND_EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "png": "png",
    "jpeg": "jpg",
    "gif": "gif",
    "csv": "csv",
}


def stored_name(name: str, kind: str) -> str:
    """The name a checked upload is stored under: its own stem with the extension of the kind
    its content was found to be (a PNG called photo.pdf is stored as photo.png)."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip() or "file"
    return f"{stem}.{KIND_EXTENSIONS[kind]}"


# An NHS number: ten digits, often written 3-3-4, whose last digit is a modulus 11 check digit.
_NHS_CANDIDATE = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def name_has_case_identifier(name: str) -> bool:
    return any(_nhs_check_digit_ok("".join(m.groups())) for m in _NHS_CANDIDATE.finditer(name))


def sniff_kind(upload) -> str | None:
    """What the file really is, from its content; None when it is none of the kinds we know."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for kind, prefix in _OOXML_PART.items():
                if any(name.startswith(prefix) for name in names):
                    return kind
        return None
    if _looks_like_text(upload):
        return "csv"
    return None


def _looks_like_text(upload) -> bool:
    upload.seek(0)
    sample = upload.read(4096)
    upload.seek(0)
    if b"\x00" in sample:
        return False
    try:
        # Incremental, so a character cut in two at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def validate_upload(upload, *, kinds=EVIDENCE_KINDS, max_bytes: int | None = None) -> str:
    """Raise ValidationError with a message for the person uploading; return the file's kind."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    name = getattr(upload, "name", "") or ""
    if name_has_case_identifier(name):
        raise ValidationError(
            f"The file name “{name}” looks like it contains an NHS number. This service must not "
            "hold children's case records: rename the file without case identifiers.",
            code="case_identifier",
        )
    if upload.size == 0:
        raise ValidationError(f"The file “{name}” is empty.", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"The file “{name}” must be smaller than {limit // (1024 * 1024)} MB.",
            code="too_big",
        )
    kind = sniff_kind(upload)
    if kind not in kinds:
        labels = [KIND_LABELS[k] for k in kinds]
        allowed = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
        raise ValidationError(
            f"The file “{name}” must be a {allowed}. Its content is not one of these.",
            code="wrong_type",
        )
    return kind


@dataclass(frozen=True)
class Problem:
    """Something wrong in an uploaded file of rows (a ledger extract, a survey's scores), and
    where: its row as the person's spreadsheet numbers it (None: the whole file), its column
    ("": no one column), and what is wrong or what to do. Every importer refuses with these, so
    each says what and where the same way."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"Row {self.row}" if self.row else "",
                self.column and f"column {self.column}",
            )
            if part
        )
        text = self.message if self.message.endswith(".") else self.message + "."
        return f"{where}: {text}" if where else text


# How much of a cell's text a problem message repeats.
SHOWN = 40


def shown(text: str) -> str:
    """A cell's text as a problem message repeats it: the first few dozen characters."""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


class UnreadableFile(Exception):
    """A file of rows that cannot be read on; the message says on which line, if it is one."""


_SAVE_AS_UTF8 = "Save the {noun} again from Excel as “CSV UTF-8”."


def csv_encoding(fileobj, *, noun: str = "file") -> str:
    """The encoding of the whole file, decided before any row is read: UTF-8 (with or without a
    byte order mark) when every byte of it is UTF-8, else Windows-1252 (older exports from Excel
    on Windows). A file that is neither, or has a NUL byte anywhere, is refused whole, saying on
    which line. (`noun`: what the person saves again, "extract" or "file".)"""
    save_as = _SAVE_AS_UTF8.format(noun=noun)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    line = 1
    while chunk := fileobj.read(1024 * 1024):
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line += chunk.count(b"\n", 0, nul)
            raise UnreadableFile(
                f"Line {line} of the file has a NUL character (byte 0), so it is not a CSV text "
                f"file. {save_as}"
            )
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        if not utf8_ok:
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError as exc:
                line += chunk.count(b"\n", 0, exc.start)
                raise UnreadableFile(
                    f"Line {line} of the file has a character that is neither UTF-8 nor "
                    f"Windows-1252 text. {save_as}"
                ) from None
        line += chunk.count(b"\n")
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    fileobj.seek(0)
    return "utf-8-sig" if utf8_ok else "cp1252"


def csv_rows(fileobj, *, noun: str = "file") -> Iterator[list[str]]:
    """The rows of a CSV file (binary, at its start), each a list of its cells' text, read a row
    at a time. UnreadableFile, naming the line, for text that is not UTF-8 or Windows-1252 or
    has a NUL byte (before any row is yielded), and for a cell longer than the csv module's
    field limit (131,072 characters) or CSV that cannot be parsed (where it is met)."""
    encoding = csv_encoding(fileobj, noun=noun)
    text = io.TextIOWrapper(fileobj, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text)
    try:
        yield from reader
    except csv.Error as exc:
        line = reader.line_num  # the line being read when it went wrong
        if "field larger than field limit" in str(exc):
            message = (
                f"Line {line:,} of the file has a value longer than "
                f"{csv.field_size_limit():,} characters. Check the file was saved as CSV, with "
                "its quotation marks in pairs."
            )
        else:
            message = f"The CSV file could not be read after line {reader.line_num}: {exc}"
        raise UnreadableFile(message) from None
    except UnicodeDecodeError as exc:  # pragma: no cover - csv_encoding has read it all
        raise UnreadableFile(
            f"The CSV file could not be read after line {reader.line_num}: {exc}"
        ) from None
    finally:
        text.detach()
