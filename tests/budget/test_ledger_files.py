"""Ledger files that are wrong, damaged or hostile are refused whole, with each problem by row
and column, at preview: never a 500, never text read wrongly, never a value cut short, and
nothing a confirm could still fail on."""

import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from budget import workbooks
from budget.actions import imports as import_actions
from budget.models import LedgerImport, LedgerRow
from tests.budget.conftest import HEADER, csv_of, row, upload, xlsx_of

pytestmark = pytest.mark.django_db


def _stored_files():
    found = []

    def walk(path):
        folders, files = default_storage.listdir(path)
        found.extend(f"{path}/{name}" for name in files)
        for folder in folders:
            walk(f"{path}/{folder}")

    if default_storage.exists("ledger-imports"):
        walk("ledger-imports")
    return found


def _confirm(batch, user):
    assert batch.status == LedgerImport.Status.PREVIEWED, batch.errors
    return import_actions.ledger_import_confirm(batch=batch, actor=user)


def _problems(batch):
    return [(e["row"], e["column"]) for e in batch.errors]


# --- encoding ----------------------------------------------------------------------------


def test_a_utf8_character_across_the_first_4_kb_is_read_as_utf8(set_up, finance_officer):
    filler = [row(ref=f"F{n}", description="f" * 200) for n in range(15)]
    head = csv_of(*filler).encode()
    assert 3500 < len(head) < 4000
    # Pad the last row's description so "é" (two bytes in UTF-8) starts at byte 4,095.
    before = row(ref="AP2", description="@").index("@")
    description = "y" * (4095 - len(head) - before - len("Caf")) + "Café £"
    data = csv_of(*filler, row(ref="AP2", description=description)).encode()
    assert data[4095:4097] == "é".encode()
    batch = _confirm(upload(set_up, finance_officer, data), finance_officer)
    stored = LedgerRow.objects.get(batch=batch, reference="AP2").description
    assert stored.endswith("Café £")


def test_a_windows_1252_file_is_read_as_windows_1252(set_up, finance_officer):
    data = csv_of(row(description="Café £5 – fee")).encode("cp1252")
    batch = _confirm(upload(set_up, finance_officer, data), finance_officer)
    assert LedgerRow.objects.get(batch=batch).description == "Café £5 – fee"


def test_a_nul_byte_after_the_first_4_kb_is_refused_with_its_line(set_up, finance_officer):
    rows = [row(ref=f"AP{n}", description="z" * 60) for n in range(100)]
    rows.append(row(ref="APX", description="bad\x00byte"))
    batch = upload(set_up, finance_officer, csv_of(*rows))
    assert batch.status == LedgerImport.Status.REJECTED
    assert "Line 102 of the file has a NUL character" in batch.errors[0]["message"]
    assert not LedgerRow.objects.exists()


def test_a_file_neither_utf8_nor_windows_1252_is_refused_whole(set_up, finance_officer):
    data = csv_of(row()).encode() + b"15/05/2019,2,C21450,P,4010,N,AP9,,\x81\x8d,1.00\n"
    batch = upload(set_up, finance_officer, data)
    assert batch.status == LedgerImport.Status.REJECTED
    assert "Line 3" in batch.errors[0]["message"]
    assert "neither UTF-8 nor Windows-1252" in batch.errors[0]["message"]


# --- values the ledger cannot hold ---------------------------------------------------------


@pytest.mark.parametrize(
    "amount", ["1234567890123456789", "12345678901234567890.00", "1234567890123.00", "-1e400"]
)
def test_an_amount_too_large_for_the_ledger_is_a_problem_at_its_row(
    set_up, finance_officer, amount
):
    batch = upload(set_up, finance_officer, csv_of(row(ref="AP1"), row(ref="AP2", amount=amount)))
    assert batch.status == LedgerImport.Status.REJECTED
    assert _problems(batch) == [(3, "Amount")]


def test_the_largest_amount_the_ledger_holds_is_imported(set_up, finance_officer):
    data = csv_of(row(amount="999999999999.99"), row(ref="AP2", amount="-999,999,999,999.99"))
    batch = _confirm(upload(set_up, finance_officer, data), finance_officer)
    assert batch.rows_imported == 2


@pytest.mark.parametrize(
    ("field", "column", "limit"),
    [
        ("subjective", "Subjective", 40),
        ("post", "Post Number", 40),
        ("ref", "Transaction Reference", 100),
        ("description", "Description", 500),
        ("cc", "Cost Centre", 40),
    ],
)
def test_text_longer_than_the_ledger_keeps_is_a_problem_not_cut_short(
    set_up, finance_officer, field, column, limit
):
    long = "A" * (limit + 1)
    fits = "B" * limit
    if field == "ref":
        data = csv_of(row(ref=fits), row(ref=long))
    else:
        data = csv_of(row(ref="AP1", **{field: fits}), row(ref="AP2", **{field: long}))
    batch = upload(set_up, finance_officer, data)
    assert batch.status == LedgerImport.Status.REJECTED
    assert _problems(batch) == [(3, column)]
    assert f"{limit + 1} characters long" in batch.errors[0]["message"]
    assert f"at most {limit}" in batch.errors[0]["message"]


def test_text_of_exactly_the_longest_length_is_kept_whole(set_up, finance_officer):
    data = csv_of(row(ref="R" * 100, post="P" * 40, subjective="S" * 40, description="D" * 500))
    batch = _confirm(upload(set_up, finance_officer, data), finance_officer)
    saved = LedgerRow.objects.get(batch=batch)
    assert (len(saved.reference), len(saved.post_number), len(saved.description)) == (100, 40, 500)


def test_a_clean_preview_always_confirms(set_up, finance_officer):
    """What the preview accepts, the ledger holds: confirm never meets a value it cannot save."""
    data = csv_of(
        row(ref="AP1", amount="999999999999.99", subjective="S" * 40, post="P" * 40),
        row(ref="AP2", description="é" * 500, amount="-999999999999.99"),
        row(ref="AP3", amount="-0.01"),
    )
    batch = _confirm(upload(set_up, finance_officer, data), finance_officer)
    assert batch.status == LedgerImport.Status.IMPORTED
    assert batch.total_imported == Decimal("-0.01")


def test_rows_adding_up_to_more_than_the_ledger_holds_are_refused_at_preview(
    set_up, finance_officer
):
    data = csv_of(row(ref="AP1", amount="999999999999.99"), row(ref="AP2", amount="0.01"))
    batch = upload(set_up, finance_officer, data)
    assert batch.status == LedgerImport.Status.REJECTED
    assert batch.errors[0]["column"] == "Amount"
    assert "add up to" in batch.errors[0]["message"]


# --- XLSX ----------------------------------------------------------------------------------


def _rewrite(data: bytes, part: str, change) -> bytes:
    """The same workbook with one part's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == part:
                body = change(body.decode()).encode()
            target.writestr(item.filename, body)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
GOOD = ["15/05/2019", 2, "C21450", "P", "4010", "N", "AP1", "", "Thing", 7]


def _with_amounts(*texts):
    rows = [HEADER.split(","), GOOD]
    rows += [[*GOOD[:6], f"X{n}", "", "Thing", 424242 + n] for n in range(len(texts))]
    data = xlsx_of(rows)

    def change(xml):
        for n, text in enumerate(texts):
            xml = xml.replace(f"<v>{424242 + n}</v>", f"<v>{text}</v>")
        return xml

    return _rewrite(data, SHEET, change)


def test_xlsx_amounts_of_infinity_nan_and_huge_exponents_are_problems_at_their_rows(
    set_up, finance_officer
):
    data = _with_amounts("inf", "nan", "1e20", "1e300", "1E999", "-INF")
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert _problems(batch) == [(row, "Amount") for row in range(3, 9)]
    assert "too large" in batch.errors[2]["message"]


def test_xlsx_numbers_that_cannot_be_a_subjective_are_problems_not_500s(set_up, finance_officer):
    rows = [HEADER.split(","), [*GOOD[:4], 424242, *GOOD[5:]]]
    data = _rewrite(xlsx_of(rows), SHEET, lambda xml: xml.replace("<v>424242</v>", "<v>1e300</v>"))
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert _problems(batch) == [(2, "Subjective")]


def test_malformed_sheet_xml_is_refused_clearly(set_up, finance_officer):
    data = _rewrite(xlsx_of([HEADER.split(","), GOOD]), SHEET, lambda xml: xml[: len(xml) // 2])
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert "The XLSX file could not be read" in batch.errors[0]["message"]


def test_sheet_xml_declaring_entities_is_refused_without_expanding_them(set_up, finance_officer):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
    )

    def change(xml):
        xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)
        return laughs + xml.replace("<v>7</v>", "<v>&b;</v>")

    data = _rewrite(xlsx_of([HEADER.split(","), GOOD]), SHEET, change)
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert batch.errors[0]["message"].startswith("The XLSX file could not be")
    assert "damaged" in batch.errors[0]["message"]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_reading(
    set_up, finance_officer, monkeypatch
):
    # A bomb in miniature: the caps scale down with the file.
    monkeypatch.setattr(workbooks, "MAX_XLSX_SHARED_STRINGS", 64 * 1024)
    words = [[*GOOD[:6], f"AP{n}", "", "word " * 40 + str(n), 1] for n in range(400)]
    data = xlsx_of([HEADER.split(","), *words])
    # Turn the inline strings into shared strings, as Excel writes them.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>x</t></si>" * 20_000 + "</sst>")
    batch = upload(set_up, finance_officer, out.getvalue(), "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert "unpacks to" in batch.errors[0]["message"]
    assert "Export it as CSV" in batch.errors[0]["message"]


def test_a_tiny_workbook_claiming_thirty_million_rows_is_refused_at_once(set_up, finance_officer):
    def change(xml):
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:J30000000"', xml)
        return xml.replace('<row r="2">', '<row r="30000000">').replace('r="A2"', 'r="A30000000"')

    data = _rewrite(xlsx_of([HEADER.split(","), GOOD]), SHEET, change)
    started = time.monotonic()
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert time.monotonic() - started < 5
    assert batch.status == LedgerImport.Status.REJECTED
    assert "runs to row 30,000,000" in batch.errors[0]["message"]


def test_rows_beyond_the_limit_stop_the_read_even_when_the_sheet_understates_its_size(
    set_up, finance_officer, monkeypatch
):
    monkeypatch.setattr(workbooks, "MAX_ROWS", 50)

    def change(xml):
        # Claims one row; its one data row sits at row 5,000.
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:J1"', xml)
        return xml.replace('<row r="2">', '<row r="5000">')

    data = _rewrite(xlsx_of([HEADER.split(","), GOOD]), SHEET, change)
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert batch.status == LedgerImport.Status.REJECTED
    assert "more than 50 rows" in batch.errors[-1]["message"]


def test_a_sheet_that_understates_its_size_is_still_read_whole(set_up, finance_officer):
    rows = [HEADER.split(","), GOOD, [*GOOD[:6], "AP2", "", "Second", 8]]
    data = _rewrite(
        xlsx_of(rows),
        SHEET,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B2"', xml),
    )
    batch = _confirm(upload(set_up, finance_officer, data, "extract.xlsx"), finance_officer)
    assert batch.rows_imported == 2
    assert batch.total_imported == Decimal("15.00")
    assert LedgerRow.objects.get(reference="AP2").description == "Second"


# --- storage -------------------------------------------------------------------------------


def test_a_refused_upload_leaves_no_file_in_storage(set_up, finance_officer, client):
    before = _stored_files()
    batch = upload(set_up, finance_officer, csv_of(row(amount="twelve")))
    assert batch.status == LedgerImport.Status.REJECTED
    assert _stored_files() == before
    assert not batch.original_file
    client.force_login(finance_officer)
    page = client.get(f"/budget/2019-20/imports/{batch.pk}/").content.decode()
    assert "the refused file is not kept" in page


def test_an_upload_that_fails_while_being_read_leaves_no_file(set_up, finance_officer, monkeypatch):
    before = _stored_files()

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(import_actions, "analyse_file", broken)
    with pytest.raises(RuntimeError):
        upload(set_up, finance_officer, csv_of(row()))
    assert _stored_files() == before


def test_an_accepted_upload_keeps_its_file(set_up, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row()))
    assert batch.status == LedgerImport.Status.PREVIEWED
    assert batch.original_file.name in _stored_files()
