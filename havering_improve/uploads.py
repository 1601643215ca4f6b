"""Checks for every file a person uploads: its real type (by content, not by its name), its size,
and that its name carries no obvious case identifier (this service holds no case records); the
names a file is shown, stored and downloaded under; keeping a file only with the record it
belongs to; and serving it back as what it is.

A file is what its content is, whatever its name says: `Board minutes.bat` holding a PDF is
stored as a PDF and downloads as `Board minutes.pdf`, `application/pdf` (`file_download`). Names
lose control and format characters (a right-to-left override can make `minutes‮fdp.exe` read
as `minutesexe.pdf`) and are bounded: a stored name in characters and in bytes (a file system
takes 255 bytes a name, and an accented letter is two), a shown name in characters."""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

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


# The type each kind of file is served as.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "csv": "text/csv",
}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"

# Bounds on names. A stored name's stem: a file system takes 255 bytes a name, and storage adds
# a suffix of its own to a name already taken. A download's stem: what a browser offers to save.
STORED_STEM_CHARS, STORED_STEM_BYTES = 100, 150
DOWNLOAD_STEM_CHARS = 200
# An extension, when a name ends with one: up to five letters or digits, one a letter at least
# ("Report 1.2" ends in a version number, not an extension).
_EXTENSION = re.compile(r"(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,5}")


def clean_name(name: str) -> str:
    """A file name as people see it: its last path part, without control or format characters
    (bidirectional overrides and isolates, zero-width characters, NUL), each run of white space
    one space, and no leading or trailing space."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    kept = (
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join("".join(kept).split())


def _split(name: str) -> tuple[str, str]:
    """A cleaned name's stem and extension ("" when it has none)."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem.strip(" .") and _EXTENSION.fullmatch(extension):
        return stem.strip(" ."), extension
    return name, ""


def _bounded(text: str, chars: int, max_bytes: int | None = None) -> str:
    """`text` cut to `chars` characters and `max_bytes` bytes of UTF-8, never inside a
    character, without trailing spaces or dots."""
    text = text[:chars]
    if max_bytes is not None:
        text = text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")
    return text.rstrip(" .")


def display_name(name: str, max_chars: int = 200) -> str:
    """A name to show for a file (its cleaned name), at most `max_chars` characters: a longer
    one is cut in its stem, keeping its extension."""
    name = clean_name(name) or "file"
    if len(name) <= max_chars:
        return name
    stem, extension = _split(name)
    if not extension:
        return _bounded(name, max_chars) or "file"
    return f"{_bounded(stem, max_chars - len(extension) - 1) or 'file'}.{extension}"


def _stem(name: str) -> str:
    """A file name's cleaned stem, with no leading or trailing dots (nor a hidden file's)."""
    return _split(clean_name(name))[0].strip(" .")


def stored_name(name: str, kind: str | None) -> str:
    """The name a checked upload is stored under: its own stem, bounded in characters and bytes,
    with the extension of the kind its content was found to be (a PNG called photo.pdf is
    stored as photo.png; content of no known kind as .bin)."""
    stem = _bounded(_stem(name), STORED_STEM_CHARS, STORED_STEM_BYTES) or "file"
    return f"{stem}.{KIND_EXTENSIONS.get(kind, 'bin')}"


def download_name(name: str, kind: str | None) -> str:
    """The name a file downloads under: `name` (its stem, when it ends in an extension) with the
    extension of what the file's content is. "Board minutes.bat" holding a PDF is
    "Board minutes.pdf"."""
    stem = _bounded(_stem(name), DOWNLOAD_STEM_CHARS) or "file"
    return f"{stem}.{KIND_EXTENSIONS.get(kind, 'bin')}"


def file_download(field_file, *, name: str, kind: str | None = None):
    """A stored upload as a download (never shown in the browser), named `name` with the
    extension of what its content is and served as that type. `kind`: what the content was
    checked to be at upload; None reads it from the content. 404 when the file is missing."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    if kind is None:
        kind = sniff_kind(handle)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(name, kind),
        content_type=CONTENT_TYPES.get(kind, UNKNOWN_CONTENT_TYPE),
    )


Saved = TypeVar("Saved")


def save_with_file(field_file, name: str, content, save: Callable[[], Saved]) -> Saved:
    """Write an upload to storage as `name` (the field's `upload_to` places it), then `save()`
    the record it belongs to; if that fails, the file is deleted, so a refused upload leaves
    nothing in storage. Check the record first (`full_clean(exclude=[the file field])`), so a
    refusal writes no file at all, and call this last in the action, so nothing after it can
    roll the record back and leave the file."""
    field_file.save(name, content, save=False)
    stored, storage = field_file.name, field_file.storage
    try:
        return save()
    except BaseException:
        storage.delete(stored)
        field_file.name = None
        raise


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
    raw = getattr(upload, "name", "") or ""
    name = display_name(raw, 100)  # as the messages show it
    if name_has_case_identifier(raw) or name_has_case_identifier(clean_name(raw)):
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
