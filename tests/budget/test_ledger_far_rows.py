"""A tiny workbook whose rows are numbered far past the row limit, with a sheet size that says
otherwise, is refused as soon as the row is met: it never ties a worker up walking a million
made-up blank rows."""

import re
import time

import pytest

from budget.models import LedgerImport
from tests.budget.conftest import HEADER, upload, xlsx_of
from tests.budget.test_ledger_files import SHEET, _rewrite

pytestmark = pytest.mark.django_db


def _only_row_numbered(number: int, dimension: str | None) -> bytes:
    def change(xml):
        if dimension is None:
            xml = re.sub(r"<dimension [^>]*/>", "", xml)
        else:
            xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
        xml = xml.replace('<row r="1"', f'<row r="{number}"')
        return re.sub(r'r="([A-Z]+)1"', rf'r="\g<1>{number}"', xml)

    return _rewrite(xlsx_of([HEADER.split(",")]), SHEET, change)


@pytest.mark.parametrize("dimension", [None, "A1", "A1:J1"])
def test_a_lone_row_numbered_thirty_million_is_refused_within_a_second(
    set_up, finance_officer, dimension
):
    data = _only_row_numbered(30_000_000, dimension)
    assert len(data) < 6000  # a few KB
    started = time.monotonic()
    batch = upload(set_up, finance_officer, data, "extract.xlsx")
    assert time.monotonic() - started < 1
    assert batch.status == LedgerImport.Status.REJECTED
    assert batch.errors[0]["message"] == (
        "The first sheet has a row numbered 30,000,000: the file has more than 1,000,000 rows, "
        "more than a ledger extract has. Split it into smaller extracts."
    )


def test_the_upload_page_says_so(set_up, finance_officer, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(finance_officer)
    data = _only_row_numbered(30_000_000, "A1")
    started = time.monotonic()
    response = client.post(
        "/budget/2019-20/imports/",
        {"file": SimpleUploadedFile("extract.xlsx", data), "cost_centres": "C21450"},
        follow=True,
    )
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert "a row numbered 30,000,000" in response.content.decode()
