"""Checks for every file a person uploads: its real type (by content, not by its name), its size,
and that its name carries no obvious case identifier (this service holds no case records)."""

import codecs
import re
import zipfile
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
