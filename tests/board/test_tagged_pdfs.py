"""Every generated PDF (meeting pack, progress report) is a tagged PDF/UA-1 document: language,
title shown in the window, bookmarks from the headings, headings, tables and lists tagged, each
chart a Figure with alternative text, and a structure in the order of the content."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from reporting.actions import packs as pack_actions
from reporting.actions import reports as report_actions
from reporting.models import ProgressReport, ReportSchedule
from tests.themes.factories import HighlightReportFactory, MeasureFactory, MeasureReadingFactory

pytestmark = pytest.mark.django_db


def _manager():
    from havering_improve import roles
    from tests.factories import UserFactory

    return UserFactory(username="pack-builder", roles=[roles.PROGRAMME_MANAGER])


def _reader(field) -> PdfReader:
    with field.open("rb") as f:
        return PdfReader(io.BytesIO(f.read()))


def _structure(reader: PdfReader) -> list[dict]:
    """The structure elements, depth first: the order a screen reader reads them in."""
    found = []

    def walk(node):
        node = node.get_object()
        if node.get("/S"):
            found.append(node)
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def _text(element) -> str:
    """The text of a heading: WeasyPrint keeps it in the outline, so read it from there."""
    return str(element.get("/T", ""))


def _outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def assert_tagged_pdf_ua(reader: PdfReader, *, title: str, lists: bool = True):
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == title
    # PDF/UA-1 identification in the XMP metadata.
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="|>)1', xmp), "no PDF/UA-1 identification"
    kinds = [str(e["/S"]) for e in _structure(reader)]
    for tag in ("/H1", "/H2", "/Table", "/TR", "/TH", "/TD") + (("/L", "/LI") if lists else ()):
        assert tag in kinds, f"no {tag} in the structure tree"
    return kinds


def test_a_meeting_pack_is_a_tagged_pdf_with_bookmarks_and_alt_texted_charts(
    meeting, theme, django_capture_on_commit_callbacks
):
    HighlightReportFactory(submitted=True, theme=theme, period=dt.date(2026, 10, 1))
    for name in ("Supervisions on time", "Staff supervised monthly"):
        measure = MeasureFactory(theme=theme, name=name)
        for month, value in [(6, "60.00"), (8, "71.50")]:
            MeasureReadingFactory(measure=measure, date=dt.date(2026, month, 1), value=value)
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_actions.pack_request(meeting=meeting, actor=_manager())
    pack.refresh_from_db()
    reader = _reader(pack.pdf)
    kinds = assert_tagged_pdf_ua(
        reader, title=f"Children's Services Improvement Board: pack for {meeting.date:%-d %B %Y}"
    )
    # Bookmarks from the headings, in the order of the pack.
    titles = _outline_titles(reader)
    sections = [t for t in titles if t in ("Agenda", "Programme overview", "Actions log")]
    assert sections == ["Agenda", "Programme overview", "Actions log"]
    assert titles.index("Focus theme: Supervision") < titles.index("Focus theme: Quality Assurance")
    # Every chart is a Figure with its text alternative.
    figures = [e for e in _structure(reader) if e["/S"] == "/Figure"]
    assert len(figures) == 2
    alts = sorted(str(f["/Alt"]) for f in figures)
    assert alts[0].startswith("Staff supervised monthly: 2 readings from 60% on 1 June 2026")
    assert alts[1].startswith("Supervisions on time: 2 readings")
    # Reading order: the cover's heading comes first, then the sections' headings in turn.
    assert kinds.index("/H1") < kinds.index("/H2")


def test_a_progress_report_is_a_tagged_pdf(
    scrutiny, programme_manager, django_capture_on_commit_callbacks
):
    schedule = ReportSchedule.objects.create(
        board=scrutiny,
        frequency=ReportSchedule.Frequency.MONTHLY,
        send_day=5,
        sections=["overview", "milestones", "decisions"],
        recipients="clerk@havering.example",
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_actions.report_make_now(
            schedule=schedule, actor=programme_manager, today=today
        )
    report = ProgressReport.objects.get(pk=report.pk)
    reader = _reader(report.pdf)
    assert_tagged_pdf_ua(
        reader,
        title=f"Progress report to {scrutiny.name}, {report.snapshot['period']}",
        lists=False,
    )
    titles = _outline_titles(reader)
    assert "Programme overview (RAG by theme)" in titles
