"""A pack is honest about its inputs: which period's report each focus theme shows, flagged when
missing, late or older than expected; nothing dated after its build; what changed since the
build on the meeting page; and every open warning listed, and confirmed, before publishing."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time

from budget.models import BudgetAllocation, PeriodState
from reporting import documents
from reporting import sections as pack_sections
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack
from tests.board.factories import MeetingFactory
from tests.themes.factories import HighlightReportFactory, MeasureFactory, MeasureReadingFactory

pytestmark = pytest.mark.django_db


def _manager():
    from havering_improve import roles
    from tests.factories import UserFactory

    return UserFactory(username="pack-builder", roles=[roles.PROGRAMME_MANAGER])


BUILD = "2026-12-02 10:00:00"  # the November report was due on 26 November


def _at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day} {hour:02d}:00"))


@pytest.fixture
def focus_meeting(board, theme, other_theme):
    meeting = MeetingFactory(board=board, date=dt.date(2026, 12, 15))
    meeting.slots.create(theme=theme)
    meeting.slots.create(theme=other_theme)
    return meeting


def _build(meeting, capture) -> MeetingPack:
    with capture(execute=True):
        pack = pack_actions.pack_request(meeting=meeting, actor=_manager())
    pack.refresh_from_db()
    return pack


def test_each_focus_theme_says_which_report_it_shows_and_flags_a_late_or_older_one(
    focus_meeting, theme, other_theme, django_capture_on_commit_callbacks
):
    # Supervision's November report came in after its due date; Quality Assurance's newest
    # is October's.
    HighlightReportFactory(
        submitted=True, theme=theme, period=dt.date(2026, 11, 1), submitted_at=_at("2026-11-30")
    )
    HighlightReportFactory(
        submitted=True,
        theme=other_theme,
        period=dt.date(2026, 10, 1),
        submitted_at=_at("2026-10-26"),
    )
    with freeze_time(BUILD):
        pack = _build(focus_meeting, django_capture_on_commit_callbacks)
    checks = {f["title"]: f["report_check"] for f in pack.snapshot["focus"]}
    assert checks["Supervision"]["key"] == "late"
    assert checks["Quality Assurance"]["key"] == "older"
    html = pack.html.open("rb").read().decode()
    assert "Report submitted late." in html
    assert "was submitted late, on 30 November 2026 (due 26 November 2026)" in html
    assert "Report older than expected." in html
    assert (
        "Shows the October 2026 report: the November 2026 report, due on 26 November 2026, "
        "had not been submitted." in html
    )


def test_a_theme_with_no_report_is_flagged_missing_and_one_on_time_is_not():
    missing = pack_sections.report_check(None, built_on=dt.date(2026, 12, 2))
    assert missing["flagged"] and missing["key"] == "missing"
    assert missing["message"] == (
        "No highlight report submitted. The November 2026 report was due on 26 November 2026."
    )
    on_time = HighlightReportFactory.build(
        submitted=True, period=dt.date(2026, 11, 1), submitted_at=_at("2026-11-25")
    )
    assert pack_sections.report_check(on_time, built_on=dt.date(2026, 12, 2))["flagged"] is False


def test_nothing_dated_after_the_build_is_in_the_pack_and_it_says_when_it_was_built(
    focus_meeting, theme, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(theme=theme, name="Supervisions on time")
    MeasureReadingFactory(measure=measure, date=dt.date(2026, 11, 30), value="71.00")
    MeasureReadingFactory(measure=measure, date=dt.date(2026, 12, 10), value="99.00")
    HighlightReportFactory(
        submitted=True, theme=theme, period=dt.date(2026, 11, 1), submitted_at=_at("2026-11-26")
    )
    with freeze_time(BUILD):
        pack = _build(focus_meeting, django_capture_on_commit_callbacks)
    readings = pack.snapshot["focus"][0]["measures"][0]["readings"]
    assert [r["value"] for r in readings] == ["71.00"]
    assert pack.snapshot["pack"]["built"] == "2 December 2026, 10:00"
    document = documents.render_pack_document(pack.snapshot)
    assert "Built 2 December 2026, 10:00" in document
    assert "99%" not in documents.render_pack_html(pack.snapshot)


def test_the_meeting_page_shows_what_changed_since_the_build_and_publishing_confirms_warnings(
    client,
    programme_manager,
    focus_meeting,
    theme,
    other_theme,
    programme,
    django_capture_on_commit_callbacks,
):
    measure = MeasureFactory(theme=theme, name="Supervisions on time")
    HighlightReportFactory(
        submitted=True, theme=theme, period=dt.date(2026, 11, 1), submitted_at=_at("2026-11-25")
    )
    with freeze_time(BUILD):
        pack = _build(focus_meeting, django_capture_on_commit_callbacks)
    with freeze_time("2026-12-02 11:30:00"):
        HighlightReportFactory(
            submitted=True,
            theme=other_theme,
            period=dt.date(2026, 11, 1),
            submitted_at=timezone.now(),
        )
        MeasureReadingFactory(measure=measure, date=dt.date(2026, 11, 30), value="72.00")
        allocation = BudgetAllocation.objects.filter(programme=programme).first()
        PeriodState.objects.create(
            allocation=allocation, period=8, closed=True, changed_by=programme_manager
        )
    client.force_login(programme_manager)
    page = client.get(focus_meeting.get_absolute_url()).content.decode()
    assert "Changed since the pack was built" in page
    assert (
        "Quality Assurance: the November 2026 highlight report was submitted on "
        "2 December 2026 at 11:30." in page
    )
    assert "Supervision: 1 reading of “Supervisions on time” added or corrected." in page
    assert f"Budget: period 8 (Nov) of {allocation.financial_year.label} was closed" in page
    assert "Rebuild the pack" in page
    # Quality Assurance had no report when the pack was built: flagged on the page as well.
    assert "Missing</strong> Quality Assurance" in page

    url = f"/board/packs/{pack.pk}/publish/"
    confirm = client.get(url).content.decode()
    # The four above at least (the programme this test loads is dated now, after the frozen
    # build, so its budget lines count as changed since too).
    assert int(re.search(r"(\d+) open warnings", confirm).group(1)) >= 4
    assert "No highlight report submitted." in confirm
    response = client.post(url)
    assert response.status_code == 400
    assert "Confirm that you have read the warnings" in response.content.decode()
    pack.refresh_from_db()
    assert pack.status == MeetingPack.Status.READY
    client.post(url, {"confirm": "yes"})
    pack.refresh_from_db()
    assert pack.status == MeetingPack.Status.PUBLISHED
