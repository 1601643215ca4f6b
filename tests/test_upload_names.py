"""The names an uploaded file is shown, stored and downloaded under (havering_improve.uploads)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from havering_improve.uploads import (
    clean_name,
    display_name,
    download_name,
    stored_name,
    validate_upload,
)


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("minutes\u202efdp.exe", "minutesfdp.exe"),  # right-to-left override
        ("a\u2066b\u2067c\u2068d\u2069e.pdf", "abcde.pdf"),  # isolates
        ("a\u200bb\u200ec\u200fd\ufeff.pdf", "abcd.pdf"),  # zero-width and marks
        ("bell\x07 and nul\x00.pdf", "bell and nul.pdf"),
        ("two\nlines\r\n\tand  spaces .pdf", "two lines and spaces .pdf"),
        ("C:\\Users\\me\\Board minutes.pdf", "Board minutes.pdf"),
        ("../../etc/passwd", "passwd"),
        ("Cafe\u0301.pdf", "Café.pdf"),  # one form of each accented letter
    ],
)
def test_a_name_loses_control_and_format_characters_and_its_folders(given, cleaned):
    assert clean_name(given) == cleaned


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Board minutes.bat", "pdf", "Board minutes.pdf"),
        ("Board minutes.html", "pdf", "Board minutes.pdf"),
        ("photo.pdf", "png", "photo.png"),
        ("scan", "jpeg", "scan.jpg"),
        ("Report v1.2", "pdf", "Report v1.2.pdf"),  # a version number is no extension
        ("Plan.final version", "docx", "Plan.final version.docx"),
        (".hidden.pdf", "pdf", "hidden.pdf"),
        ("...", "pdf", "file.pdf"),
        ("\u202e", "xlsx", "file.xlsx"),
        ("odd", None, "odd.bin"),
    ],
)
def test_a_download_is_named_for_what_it_is(name, kind, expected):
    assert download_name(name, kind) == expected


def test_a_stored_name_is_bounded_in_characters_and_bytes():
    name = stored_name("é" * 300 + ".pdf", "pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= 160 and len(name) <= 110
    assert name == "é" * 75 + ".pdf"  # never cut inside a letter
    assert len(stored_name("a" * 300, "gif")) == 104


def test_a_shown_name_keeps_its_extension_when_cut():
    assert display_name("a" * 300 + ".xlsx", 200) == "a" * 195 + ".xlsx"
    assert display_name("a" * 300, 200) == "a" * 200
    assert display_name("", 200) == "file"


def test_an_nhs_number_hidden_by_invisible_characters_is_still_refused():
    upload = SimpleUploadedFile("943\u200b476\u200b5919 notes.pdf", b"%PDF-1.4 x")
    with pytest.raises(ValidationError, match="NHS number"):
        validate_upload(upload)


def test_a_refusal_names_the_file_without_its_control_characters():
    upload = SimpleUploadedFile("evil\u202efdp.exe", b"MZ\x90\x00")
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload)
    assert "“evilfdp.exe”" in refused.value.messages[0]
