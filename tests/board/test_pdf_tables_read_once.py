"""A screen reader meets each table of a pack or progress report once: one Table element per
table in the PDF's structure tree, each with its rows, and no caption words among the rows."""

import datetime as dt
import io
import os

import pytest
from django.utils import timezone
from pypdf import PdfReader

from reporting.actions import packs as pack_actions
from reporting.actions import reports as report_actions
from reporting.models import ProgressReport, ReportSchedule
from tests.board.factories import ActionFactory, MeetingFactory
from tests.themes.factories import (
    HighlightReportFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db


def _manager():
    from havering_improve import roles
    from tests.factories import UserFactory

    return UserFactory(username="pack-builder", roles=[roles.PROGRAMME_MANAGER])


def _bytes(field) -> bytes:
    with field.open("rb") as f:
        data = f.read()
    if os.environ.get("KEEP_PDF"):  # to look at the pages: KEEP_PDF=/tmp/somewhere
        name = field.name.rsplit("/", 1)[-1]
        with open(os.path.join(os.environ["KEEP_PDF"], name), "wb") as out:
            out.write(data)
    return data


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    found = []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and kid.get("/S"):
            found.append(kid)
    return found


def tables(data: bytes) -> list[dict]:
    """Each /Table structure element with its rows (TR children, directly or in THead, TBody
    or TFoot) and the Table elements nested inside it."""
    reader = PdfReader(io.BytesIO(data))
    found = []

    def rows(table) -> int:
        count = 0
        for kid in _kids(table):
            if kid["/S"] == "/TR":
                count += 1
            elif kid["/S"] in ("/THead", "/TBody", "/TFoot"):
                count += sum(1 for k in _kids(kid) if k["/S"] == "/TR")
        return count

    def walk(node, depth):
        for kid in _kids(node):
            if kid["/S"] == "/Table":
                found.append({"rows": rows(kid), "depth": depth})
                walk(kid, depth + 1)
            else:
                walk(kid, depth)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], 0)
    return found


def text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def busy_pack(meeting, theme, other_theme, board, board_member, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    HighlightReportFactory(submitted=True, theme=theme, period=dt.date(2026, 10, 1))
    measure = MeasureFactory(theme=theme, name="Supervisions on time")
    for month, value in [(6, "60.00"), (8, "71.50"), (10, "85.00")]:
        MeasureReadingFactory(measure=measure, date=dt.date(2026, month, 1), value=value)
    quiet = board.programme.themes.get(slug="adolescent-safeguarding")
    MilestoneFactory(theme=quiet, title="Exploitation panel set up", due_date=dt.date(2026, 1, 9))
    MilestoneFactory(theme=theme, title="Policy relaunched", due_date=today - dt.timedelta(days=9))
    MilestoneFactory(theme=other_theme, title="Audit tool agreed", due_date=today)
    RiskFactory(theme=theme, description="Agency turnover", escalated=True)
    RiskFactory(theme=other_theme, description="Auditors not released", likelihood=4, impact=4)
    ActionFactory(
        meeting=MeetingFactory(board=board, date=dt.date(2026, 1, 5)),
        owner=board_member,
        description="Share the audit findings with partners",
        due_date=dt.date(2026, 2, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_actions.pack_request(meeting=meeting, actor=_manager())
    pack.refresh_from_db()
    return pack


def test_each_table_of_a_pack_is_one_table_element_with_its_rows(busy_pack):
    data = _bytes(busy_pack.pdf)
    html = busy_pack.html.open("rb").read().decode()
    found = tables(data)
    assert len(found) == html.count("<table"), found
    assert all(t["rows"] > 0 for t in found), found
    assert all(t["depth"] == 0 for t in found), "a table inside a table"


def test_a_packs_hidden_captions_do_not_come_out_among_the_rows(busy_pack):
    extracted = text(_bytes(busy_pack.pdf))
    lines = [line.strip() for line in extracted.splitlines()]
    # "Milestones past their due date and not done, by theme" is for screen readers only: it
    # printed a word a line before the rows.
    for word in ("past", "their", "due", "date", "and", "not", "done,", "by", "theme"):
        assert word not in lines
    assert "Milestones past their due date" not in extracted


def test_each_table_of_a_progress_report_is_one_table_element(
    scrutiny, programme_manager, theme, django_capture_on_commit_callbacks
):
    HighlightReportFactory(submitted=True, theme=theme, period=dt.date(2026, 10, 1))
    schedule = ReportSchedule.objects.create(
        board=scrutiny,
        frequency=ReportSchedule.Frequency.MONTHLY,
        send_day=5,
        sections=["overview", "milestones", "risks", "decisions", "actions"],
        recipients="clerk@havering.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = report_actions.report_make_now(
            schedule=schedule, actor=programme_manager, today=timezone.localdate()
        )
    report = ProgressReport.objects.get(pk=report.pk)
    data = _bytes(report.pdf)
    found = tables(data)
    assert len(found) == 1, found
    assert found[0]["rows"] == 8
    lines = [line.strip() for line in text(data).splitlines()]
    assert "RAG status of every theme" not in "\n".join(lines)
