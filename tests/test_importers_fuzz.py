"""Every upload the service parses — a ledger extract as CSV or XLSX, a survey's scores, an
evidence file (whose content is read to tell its kind) — answers malformed files with a page
that says what is wrong, never a 500: bytes that are no text past the first 4 KB, digit signs
such as ², 1e30 and 1E+999999, a cell over 128 KB, counts of 30 and 5,000 digits, rows numbered
past the limit, damaged workbooks."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from budget.demo import demo_setup
from budget.models import BudgetAllocation, LedgerImport
from evaluation.actions import feedback as feedback_actions
from evaluation.models import ActivityKind
from tests.budget.conftest import HEADER
from tests.evaluation.factories import ActivityFactory, FindingFactory, strand

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

MALFORMED_TEXT = [
    "²",
    "³",
    "٣",
    "1e30",
    "1E+999999",
    "-1E+999999",
    "9" * 5000,
    "1" * 30,
    "x" * (129 * 1024),
    "nan",
    "-inf",
    "(£1,2)",
    "1.005",
    "31/02/2020",
    '"',
    "",
]
BAD_BYTES = [b"\x81", b"\x00", b"\xc3", b"\x8d\x8f\x90"]
PAST_4_KB = 4200


def cells(valid: list[str]):
    """One row's cells: each valid for its column, malformed, or any text at all."""
    return st.tuples(
        *(
            st.one_of(st.just(v), st.sampled_from(MALFORMED_TEXT), st.text(max_size=8))
            for v in valid
        )
    )


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if re.search(r'[,"\r\n]', value) else value


@st.composite
def csv_files(draw, header: str, valid: list[str]):
    rows = draw(st.lists(cells(valid), min_size=1, max_size=4))
    text = header + "\n"
    if draw(st.booleans()):  # good rows first, so what is wrong comes past the first 4 KB
        text += (",".join(valid) + "\n") * (PAST_4_KB // len(",".join(valid)) + 1)
    text += "".join(",".join(_csv_cell(c) for c in row) + "\n" for row in rows)
    data = text.encode()
    if draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
    return data


def _rewrite(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            target.writestr(item.filename, body)
    return out.getvalue()


@st.composite
def xlsx_files(draw, header: str, valid: list[str]):
    book = Workbook()
    sheet = book.active
    sheet.append(header.split(","))
    for row in draw(st.lists(cells(valid), min_size=1, max_size=4)):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
    sheet.append([42424242] * len(valid))
    out = io.BytesIO()
    book.save(out)
    row_number = draw(st.sampled_from(["30000000", "1048577", "0", "-1", "x", "3"]))
    number = draw(st.sampled_from(["1E+999999", "²", "nan", "1e30", "9" * 5000, "42"]))
    dimension = draw(st.sampled_from(["A1", "A1:J30000000", "A1:ZZZ9", "x"]))
    damage = draw(st.sampled_from(["", "cut", "laughs"]))

    def change(xml):
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
        xml = xml.replace('<row r="3"', f'<row r="{row_number}"')
        xml = xml.replace("<v>42424242</v>", f"<v>{number}</v>")
        if damage == "cut":
            xml = xml[: len(xml) * 2 // 3]
        elif damage == "laughs":
            xml = xml.replace("?>", '?><!DOCTYPE x [<!ENTITY a "ha">]>', 1)
        return xml

    return _rewrite(out.getvalue(), change)


LEDGER_ROW = ["15/05/2019", "2", "C21450", "Children", "4010", "Agency", "AP1", "", "Thing", "7"]
SURVEY_HEADER = "question,score,out_of,responses"
SURVEY_ROW = ["I feel supported", "3.9", "5", "98"]


@pytest.fixture
def signed_in(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def allocation(programme, finance_officer):
    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    return allocation


def _ledger_upload(client, name, data):
    response = client.post(
        "/budget/2019-20/imports/",
        {"file": SimpleUploadedFile(name, data), "cost_centres": "C21450"},
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        page = client.get(response["Location"])
        assert page.status_code == 200
        batch = LedgerImport.objects.order_by("-pk").first()
        if batch.status == LedgerImport.Status.PREVIEWED:
            confirmed = client.post(response["Location"] + "confirm/")
            assert confirmed.status_code == 302


def test_ledger_csv_files_never_give_a_500(allocation, finance_officer, signed_in):
    client = signed_in(finance_officer)

    @FUZZ
    @given(csv_files(HEADER, LEDGER_ROW))
    def upload(data):
        _ledger_upload(client, "extract.csv", data)

    upload()


def test_ledger_xlsx_files_never_give_a_500(allocation, finance_officer, signed_in):
    client = signed_in(finance_officer)

    @FUZZ
    @given(xlsx_files(HEADER, LEDGER_ROW))
    def upload(data):
        _ledger_upload(client, "extract.xlsx", data)

    upload()


def test_survey_score_files_never_give_a_500(programme, programme_manager, signed_in):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    feedback_actions.feedback_save(
        activity=survey, actor=programme_manager, responses=100, key_messages="Fine"
    )
    client = signed_in(programme_manager)

    @FUZZ
    @given(csv_files(SURVEY_HEADER, SURVEY_ROW))
    def upload(data):
        response = client.post(
            f"/evaluation/activities/{survey.pk}/feedback/import/",
            {"file": SimpleUploadedFile("scores.csv", data), "replace": "on"},
        )
        # Refused with the form's error summary (200) or taken (302): never a server error.
        assert response.status_code in (200, 302), response.status_code

    upload()


def _empty_workbook() -> bytes:
    book = io.BytesIO()
    Workbook().save(book)
    return book.getvalue()


# Made once: a workbook carries the time it was saved, so its length can differ from one save to
# the next, and hypothesis needs the same strategy for every example it draws.
EMPTY_WORKBOOK = _empty_workbook()


@st.composite
def evidence_files(draw):
    """A file that starts like one of the kinds evidence may be, then goes wrong."""
    start = draw(st.sampled_from([b"PK\x03\x04", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"GIF89a", b""]))
    if draw(st.booleans()):
        cut = draw(st.integers(min_value=4, max_value=len(EMPTY_WORKBOOK)))
        return EMPTY_WORKBOOK[:cut]
    return start + draw(st.binary(max_size=64)) + draw(st.sampled_from(BAD_BYTES))


def test_evidence_files_never_give_a_500(theme, lead, programme_manager, signed_in):
    finding = FindingFactory(
        activity=ActivityFactory(programme=theme.programme, completed_on=dt.date(2026, 11, 1))
    )
    lead_client = signed_in(lead)

    @FUZZ
    @given(evidence_files())
    def upload(data):
        for user, url in (
            (lead, f"/themes/{theme.slug}/evidence/add/"),
            (programme_manager, f"/evaluation/findings/{finding.pk}/evidence/"),
        ):
            lead_client.force_login(user)
            response = lead_client.post(
                url,
                {"title": "Fuzzed", "name": "Fuzzed", "file": SimpleUploadedFile("f.xlsx", data)},
            )
            assert response.status_code in (200, 302, 400), (url, response.status_code)

    upload()
