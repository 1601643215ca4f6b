import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from budget.actions import imports as import_actions
from budget.actions import periods as period_actions
from budget.demo import demo_setup
from budget.models import BudgetAllocation

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "demo" / "ledger-extract-2019-20.csv"
HEADER = (
    "Posting Date,Period,Cost Centre,Cost Centre Name,Subjective,Subjective Name,"
    "Transaction Reference,Post Number,Description,Amount"
)


@pytest.fixture
def allocation(programme):
    return BudgetAllocation.objects.get(programme=programme, start_year=2019)


@pytest.fixture
def lines(allocation):
    return {line.code: line for line in allocation.lines.all()}


@pytest.fixture
def set_up(allocation, finance_officer):
    """Cost centre C21450, the posts and the matching rules for the sample extract."""
    demo_setup(allocation=allocation, user=finance_officer)
    return allocation


def upload(allocation, user, content, name="extract.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return import_actions.ledger_import_upload(
        allocation=allocation, uploaded_file=SimpleUploadedFile(name, content), actor=user
    )


def close_periods(allocation, user, through: int) -> None:
    """Close periods 1 to `through`, in order, as month-end does."""
    for period in range(1, through + 1):
        period_actions.period_close(allocation=allocation, period=period, actor=user)


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def xlsx_of(rows) -> bytes:
    """A workbook whose first sheet holds `rows`, as an XLSX file's bytes."""
    book = Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(
    ref="AP1",
    date="15/05/2019",
    period="2",
    cc="C21450",
    subjective="4010",
    post="",
    description="Thing",
    amount="100.00",
):
    return (
        f'{date},{period},{cc},Programme,{subjective},Name,{ref},{post},"{description}","{amount}"'
    )


@pytest.fixture
def sample_bytes():
    return SAMPLE.read_bytes()


@pytest.fixture
def imported_sample(set_up, finance_officer, sample_bytes):
    batch = upload(set_up, finance_officer, sample_bytes, "ledger-extract.csv")
    return import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
