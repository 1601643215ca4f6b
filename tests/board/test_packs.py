"""Meeting packs: what they hold, the PDF, freezing on publish, re-issue, failure and retry."""

import base64
import datetime as dt
import hashlib
import io
import json
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from havering_improve import roles
from reporting import documents
from reporting import render as pdf_render
from reporting import snapshot as snapshots
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack
from tests.board.factories import ActionFactory, MeetingFactory
from tests.factories import UserFactory
from tests.themes.factories import (
    HighlightReportFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_data(meeting, theme, other_theme, lead):
    """Highlight reports, measures, milestones and risks for the two focus themes."""
    HighlightReportFactory(
        submitted=True, theme=theme, overall_rag="amber", period=dt.date(2026, 9, 1)
    )
    HighlightReportFactory(
        submitted=True,
        theme=theme,
        overall_rag="green",
        period=dt.date(2026, 10, 1),
        status_summary="Monthly supervision now recorded for 85% of workers.",
    )
    HighlightReportFactory(
        submitted=True, theme=other_theme, overall_rag="red", period=dt.date(2026, 10, 1)
    )
    measure = MeasureFactory(
        theme=theme,
        name="Supervisions on time",
        baseline_value="52.00",
        target_value="90.00",
        target_date=dt.date(2027, 3, 31),
    )
    for month, value in [(6, "60.00"), (8, "71.50"), (10, "85.00")]:
        MeasureReadingFactory(measure=measure, date=dt.date(2026, month, 1), value=value)
    MilestoneFactory(
        theme=theme,
        title="Supervision policy relaunched",
        due_date=timezone.localdate() - dt.timedelta(days=10),
    )
    MilestoneFactory(
        theme=other_theme,
        title="Audit tool agreed",
        due_date=timezone.localdate() + dt.timedelta(days=60),
    )
    RiskFactory(theme=theme, description="Agency turnover undermines supervision", escalated=True)
    RiskFactory(theme=other_theme, description="Auditors not released from caseloads")
    return meeting


def build(meeting, django_capture_on_commit_callbacks, user=None) -> MeetingPack:
    if user is None:
        user = UserFactory(username="pack-builder", roles=[roles.PROGRAMME_MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_actions.pack_request(meeting=meeting, actor=user)
    pack.refresh_from_db()
    return pack


def pdf_text(pack: MeetingPack) -> str:
    with pack.pdf.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pack_holds_the_agenda_overview_focus_themes_and_actions(
    programme_data, django_capture_on_commit_callbacks, board_member
):
    meeting = programme_data
    ActionFactory(
        meeting=MeetingFactory(board=meeting.board, date=dt.date(2026, 1, 5)),
        owner=board_member,
        description="Share the audit findings with partners",
        due_date=dt.date(2026, 2, 1),
    )
    pack = build(meeting, django_capture_on_commit_callbacks)
    assert pack.status == MeetingPack.Status.READY
    s = pack.snapshot
    assert [f["title"] for f in s["focus"]] == ["Supervision", "Quality Assurance"]
    assert "Focus theme: Supervision" in s["agenda"]
    supervision = next(row for row in s["overview"] if row["title"] == "Supervision")
    assert (supervision["rag"], supervision["rag_last"]) == ("green", "amber")
    assert len(s["overview"]) == 7
    assert [m["title"] for m in s["overdue_milestones"]] == ["Supervision policy relaunched"]
    assert [r["description"] for r in s["escalated_risks"]] == [
        "Agency turnover undermines supervision"
    ]
    focus = s["focus"][0]
    assert focus["report"]["rag"] == "green"
    assert [r["value"] for r in focus["measures"][0]["readings"]] == ["60.00", "71.50", "85.00"]
    action = s["actions"][0]
    assert action["description"] == "Share the audit findings with partners"
    assert action["overdue"] is True
    html = pack.html.open("rb").read().decode()
    # The chart is an image of an SVG (a data URI the Content-Security-Policy allows), and its
    # alt text says what it shows.
    chart = re.search(
        r'<img class="app-chart" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html
    )
    assert chart, "the measure's chart is missing"
    assert "<svg" in base64.b64decode(chart.group(1)).decode()
    assert chart.group(2).startswith(
        "Supervisions on time: 3 readings from 60% on 1 June 2026 to 85% on 1 October 2026; "
        "baseline 52% on 1 January 2026; target 90% by 31 March 2027"
    )
    assert "Monthly supervision now recorded for 85% of workers." in html


def test_the_pdf_is_readable_and_names_the_focus_themes_with_contents_and_page_numbers(
    programme_data, django_capture_on_commit_callbacks
):
    pack = build(programme_data, django_capture_on_commit_callbacks)
    text = pdf_text(pack)
    assert "Focus theme: Supervision" in text
    assert "Focus theme: Quality Assurance" in text
    assert "Contents" in text
    assert "Page 2 of" in text
    assert pack.pdf_sha256 == hashlib.sha256(pack.pdf.open("rb").read()).hexdigest()


def test_a_published_pack_does_not_change_when_the_programme_does(
    programme_data, django_capture_on_commit_callbacks, programme_manager, theme
):
    pack = build(programme_data, django_capture_on_commit_callbacks)
    pack_actions.pack_publish(pack=pack, actor=programme_manager)
    html_before = pack.html.open("rb").read()
    pdf_before = pack.pdf.open("rb").read()
    checksum = pack.snapshot_sha256

    theme.title = "Supervision and Reflective Practice"
    theme.save()
    HighlightReportFactory(
        submitted=True, theme=theme, overall_rag="red", period=dt.date(2026, 11, 1)
    )
    build(programme_data, django_capture_on_commit_callbacks)  # asking again changes nothing

    pack.refresh_from_db()
    assert pack.is_published
    assert pack.html.open("rb").read() == html_before
    assert pack.pdf.open("rb").read() == pdf_before
    assert pack.snapshot_sha256 == checksum
    assert hashlib.sha256(pack_actions.snapshot_bytes(pack.snapshot)).hexdigest() == checksum
    assert "Supervision and Reflective Practice" not in json.dumps(pack.snapshot)
    assert MeetingPack.objects.count() == 1


def test_a_re_issue_is_a_new_numbered_version_with_its_reason_and_todays_data(
    programme_data, django_capture_on_commit_callbacks, programme_manager, theme
):
    first = build(programme_data, django_capture_on_commit_callbacks)
    pack_actions.pack_publish(pack=first, actor=programme_manager)
    theme.title = "Supervision and Reflective Practice"
    theme.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = pack_actions.pack_reissue(
            pack=first, reason="Corrected supervision figures", actor=programme_manager
        )
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.version, second.status) == (2, MeetingPack.Status.READY)
    assert "Corrected supervision figures" in pdf_text(second)
    assert "Supervision and Reflective Practice" in second.html.open("rb").read().decode()
    assert "Supervision and Reflective Practice" not in first.html.open("rb").read().decode()


def test_a_draft_pack_can_be_rebuilt_and_shows_the_new_data(
    programme_data, django_capture_on_commit_callbacks, theme
):
    pack = build(programme_data, django_capture_on_commit_callbacks)
    theme.title = "Supervision Renamed"
    theme.save()
    pack = build(programme_data, django_capture_on_commit_callbacks)
    assert pack.build_attempt == 2
    assert "Supervision Renamed" in pack.html.open("rb").read().decode()


def test_a_failed_build_is_shown_with_its_error_and_a_retry_builds_it(
    meeting, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("chart data unreadable")

    monkeypatch.setattr(pack_actions, "pack_snapshot", broken)
    pack = build(meeting, django_capture_on_commit_callbacks)
    assert pack.status == MeetingPack.Status.FAILED
    assert "chart data unreadable" in pack.error
    monkeypatch.undo()
    pack = build(meeting, django_capture_on_commit_callbacks)
    assert pack.status == MeetingPack.Status.READY


def test_a_redelivered_build_task_does_nothing(meeting, django_capture_on_commit_callbacks):
    pack = build(meeting, django_capture_on_commit_callbacks)
    built_at = pack.built_at
    pack_actions.pack_build(pack_id=pack.pk, attempt=pack.build_attempt)
    pack.refresh_from_db()
    assert pack.built_at == built_at


def test_the_daily_job_starts_each_due_pack_once(board, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    soon = MeetingFactory(board=board, date=today + dt.timedelta(days=5))
    later = MeetingFactory(board=board, date=today + dt.timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        pack_actions.packs_due(today=today)
        pack_actions.packs_due(today=today)
    assert list(MeetingPack.objects.values_list("meeting", "version")) == [(soon.pk, 1)]
    assert not later.packs.exists()


def test_the_pdf_renderer_never_fetches_from_the_network():
    fetcher = pdf_render.LocalOnlyFetcher()
    with pytest.raises(ValueError, match="do not fetch"):
        fetcher.fetch("http://example.com/logo.png")
    pdf = pdf_render.render_pdf('<p>Hello</p><img src="http://example.com/tracker.png" alt="">')
    assert pdf.startswith(b"%PDF")


def test_last_time_is_what_the_board_was_shown_at_the_previous_meeting(
    board, theme, programme_manager, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    earlier = MeetingFactory(board=board, date=today - dt.timedelta(days=30))
    HighlightReportFactory(
        submitted=True,
        theme=theme,
        overall_rag="red",
        period=dt.date(2026, 8, 1),
        submitted_at=timezone.now() - dt.timedelta(days=60),
    )
    first = build(earlier, django_capture_on_commit_callbacks)
    pack_actions.pack_publish(pack=first, actor=programme_manager)
    HighlightReportFactory(
        submitted=True, theme=theme, overall_rag="green", period=dt.date(2026, 10, 1)
    )
    later = MeetingFactory(board=board, date=today + dt.timedelta(days=5))
    second = build(later, django_capture_on_commit_callbacks)
    row = next(r for r in second.snapshot["overview"] if r["title"] == theme.title)
    assert (row["rag"], row["rag_last"]) == ("green", "red")


def test_the_pack_has_the_budget_headline_and_the_focus_themes_share(
    meeting, django_capture_on_commit_callbacks
):
    pack = build(meeting, django_capture_on_commit_callbacks)
    budget = pack.snapshot["budget"]
    assert budget["budget"] == "£750,000.00"
    assert [t["title"] for t in budget["focus"]] == ["Supervision", "Quality Assurance"]
    assert all(t["budget"].startswith("£") for t in budget["focus"])
    assert "Budget summary" in pdf_text(pack)


def test_the_pack_lists_evaluation_done_since_the_last_meeting(
    board, meeting, theme, django_capture_on_commit_callbacks
):
    from evaluation.models import EvaluationActivity

    MeetingFactory(board=board, date=meeting.date - dt.timedelta(days=28))
    strand = board.programme.strands.first()
    done = EvaluationActivity.objects.create(
        programme=board.programme,
        strand=strand,
        kind="qa_audit",
        title="Supervision practice week",
        start_date=meeting.date - dt.timedelta(days=20),
        completed_on=timezone.localdate() - dt.timedelta(days=3),
    )
    done.themes.add(theme)
    EvaluationActivity.objects.create(
        programme=board.programme,
        strand=strand,
        kind="qa_audit",
        title="Older audit",
        start_date=meeting.date - dt.timedelta(days=80),
        completed_on=meeting.date - dt.timedelta(days=60),
    )
    pack = build(meeting, django_capture_on_commit_callbacks)
    titles = [a["title"] for a in pack.snapshot["evaluation"]["done"]]
    assert titles == ["Supervision practice week"]
    assert "Supervision practice week" in pack.html.open("rb").read().decode()


@pytest.fixture
def supervision_audits(board, meeting, theme):
    """A Supervision audit result dated after the last meeting, and one dated before it."""
    from tests.evaluation.factories import ActivityFactory, AuditResultFactory

    today = timezone.localdate()
    MeetingFactory(board=board, date=today - dt.timedelta(days=21))
    # Both audits were finished long ago, so only the audit results (not the activities) fall
    # after the last meeting: the titles can show in the pack only as focus theme evidence.
    finished = {
        "start_date": today - dt.timedelta(days=60),
        "completed_on": today - dt.timedelta(days=50),
    }
    recent = ActivityFactory(
        programme=board.programme, title="November supervision audit", **finished
    )
    AuditResultFactory(activity=recent, theme=theme, date=today - dt.timedelta(days=3))
    old = ActivityFactory(
        programme=board.programme, title="September supervision audit", **finished
    )
    AuditResultFactory(activity=old, theme=theme, date=today - dt.timedelta(days=40))
    return meeting


def test_a_focus_theme_shows_its_evidence_since_the_last_meeting_in_the_page_and_the_pdf(
    supervision_audits, django_capture_on_commit_callbacks
):
    pack = build(supervision_audits, django_capture_on_commit_callbacks)
    supervision = next(f for f in pack.snapshot["focus"] if f["title"] == "Supervision")
    assert [(e["kind"], e["title"]) for e in supervision["evidence"]] == [
        ("Audit result", "November supervision audit")
    ]
    html = pack.html.open("rb").read().decode()
    text = pdf_text(pack)
    for shown in (html, text):
        assert "Evidence since the last meeting" in shown
        assert "November supervision audit" in shown
        assert "September supervision audit" not in shown
    assert "Evaluation evidence for Supervision since" in html
    # Quality Assurance has nothing new: the pack says so rather than leaving a blank.
    assert "No new evaluation evidence since the last meeting." in html
    assert "No new evaluation evidence since the last meeting." in text


def test_a_boards_first_meeting_shows_the_evidence_of_the_month_before_the_pack(
    meeting, theme, django_capture_on_commit_callbacks
):
    from tests.evaluation.factories import ActivityFactory, AuditResultFactory

    today = timezone.localdate()
    for title, days in [("Recent audit", 10), ("Audit of last spring", 120)]:
        activity = ActivityFactory(programme=meeting.board.programme, title=title)
        AuditResultFactory(activity=activity, theme=theme, date=today - dt.timedelta(days=days))
    pack = build(meeting, django_capture_on_commit_callbacks)
    supervision = next(f for f in pack.snapshot["focus"] if f["title"] == "Supervision")
    assert [e["title"] for e in supervision["evidence"]] == ["Recent audit"]


def test_a_published_packs_evidence_does_not_change_when_new_evidence_is_recorded(
    supervision_audits, django_capture_on_commit_callbacks, programme_manager, theme
):
    from tests.evaluation.factories import ActivityFactory, AuditResultFactory

    pack = build(supervision_audits, django_capture_on_commit_callbacks)
    pack_actions.pack_publish(pack=pack, actor=programme_manager)
    html_before = pack.html.open("rb").read()
    pdf_before = pack.pdf.open("rb").read()
    snapshot_before = json.dumps(pack.snapshot, sort_keys=True)

    late = ActivityFactory(programme=theme.programme, title="Audit recorded after publishing")
    AuditResultFactory(activity=late, theme=theme, date=timezone.localdate())
    build(supervision_audits, django_capture_on_commit_callbacks)

    pack.refresh_from_db()
    assert json.dumps(pack.snapshot, sort_keys=True) == snapshot_before
    assert pack.html.open("rb").read() == html_before
    assert pack.pdf.open("rb").read() == pdf_before
    assert "Audit recorded after publishing" not in documents.render_pack_html(pack.snapshot)
    # ...though a pack built now would show it.
    fresh = snapshots.pack_snapshot(meeting=supervision_audits)
    assert "Audit recorded after publishing" in json.dumps(fresh)


def test_the_packs_query_count_does_not_grow_with_the_evidence(
    supervision_audits, theme, other_theme
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.evaluation.factories import ActivityFactory, AuditResultFactory, FindingFactory

    def add_evidence(n):
        activity = ActivityFactory(
            programme=theme.programme, title=f"Extra audit {n}", themes=[theme, other_theme]
        )
        AuditResultFactory(activity=activity, theme=theme, date=timezone.localdate())
        AuditResultFactory(activity=activity, theme=other_theme, date=timezone.localdate())
        FindingFactory(activity=activity, themes=[theme, other_theme])

    add_evidence(0)
    with CaptureQueriesContext(connection) as few:
        snapshots.pack_snapshot(meeting=supervision_audits)
    for n in range(1, 5):
        add_evidence(n)
    with CaptureQueriesContext(connection) as many:
        snapshot = snapshots.pack_snapshot(meeting=supervision_audits)
    assert sum(len(f["evidence"]) for f in snapshot["focus"]) > 10
    assert len(many) == len(few)


def test_a_measure_with_years_of_weekly_readings_is_summarised_and_says_so(
    meeting, theme, django_capture_on_commit_callbacks
):
    """Ten years of weekly readings would be hundreds of table rows and chart points per
    measure: the pack shows the last reading of each recent month, and says where the rest are."""
    from themes.models import MeasureReading

    measure = MeasureFactory(theme=theme, name="Visits on time")
    start = timezone.localdate() - dt.timedelta(weeks=259)
    MeasureReading.objects.bulk_create(
        MeasureReading(measure=measure, date=start + dt.timedelta(weeks=w), value=f"{w % 90}.00")
        for w in range(260)
    )
    MeasureReading.objects.create(  # dated after the pack is built: not in it
        measure=measure, date=timezone.localdate() + dt.timedelta(days=1), value="99.00"
    )
    pack = build(meeting, django_capture_on_commit_callbacks)

    shown = pack.snapshot["focus"][0]["measures"][0]
    assert shown["readings_total"] == 260
    dates = [dt.datetime.strptime(r["date"], "%d %B %Y").date() for r in shown["readings"]]
    assert len(dates) == 6
    assert dates[-1] == timezone.localdate()  # the latest reading by the build
    assert len({(d.year, d.month) for d in dates}) == 6
    for d in dates:  # each is the last reading of its month
        assert (d + dt.timedelta(weeks=1)).month != d.month or d == timezone.localdate()
    assert "260 readings in all" in shown["table_note"]
    assert "the last reading of each month" in shown["chart_note"]

    html = pack.html.open("rb").read().decode()
    assert "Every reading is on the measure&#x27;s own page in the app." in html
    alt = re.search(r'<img class="app-chart" [^>]*alt="(Visits on time[^"]*)"', html).group(1)
    assert "the last reading of each month" in alt
    assert "Every reading is on the measure" in pdf_text(pack).replace("\n", " ")


def test_overdue_milestones_are_grouped_by_theme_and_a_focus_themes_are_in_its_section(
    programme_data, django_capture_on_commit_callbacks, board
):
    from tests.themes.factories import MilestoneFactory as Milestone

    quiet = board.programme.themes.get(slug="adolescent-safeguarding")
    Milestone(theme=quiet, title="Exploitation panel set up", due_date=dt.date(2026, 1, 9))
    pack = build(programme_data, django_capture_on_commit_callbacks)
    html = pack.html.open("rb").read().decode()
    overview = html[html.index('id="pack-overview"') : html.index('id="pack-focus-')]
    # A theme not in focus: each overdue milestone in the overview.
    assert "Adolescent Safeguarding (1)" in overview
    assert "Exploitation panel set up" in overview
    # A focus theme: counted in the overview, listed in its own section.
    assert "1 overdue milestone: see the milestones under Focus theme: Supervision." in overview
    assert "Supervision policy relaunched" not in overview
    focus = html[html.index("Focus theme: Supervision</h2>") :]
    assert "Supervision policy relaunched" in focus
    text = pdf_text(pack)
    assert "Exploitation panel set up" in text and "Supervision policy relaunched" in text
