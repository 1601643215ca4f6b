"""The pack's evaluation section: an activity past its day and not done is flagged as overdue,
never listed under "Coming up" with a date already gone."""

import datetime as dt

import pytest
from django.utils import timezone

from evaluation import selectors
from reporting import documents
from reporting import snapshot as snapshots
from tests.evaluation.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_an_overdue_activity_is_flagged_and_not_coming_up(board, meeting):
    today = timezone.localdate()
    programme = board.programme
    ActivityFactory(
        programme=programme,
        title="Care leavers' feedback survey",
        start_date=today - dt.timedelta(days=20),
        end_date=today - dt.timedelta(days=10),
    )
    ActivityFactory(
        programme=programme, title="Winter practice week", start_date=today + dt.timedelta(days=20)
    )
    ActivityFactory(
        programme=programme,
        title="Finished audit",
        start_date=today - dt.timedelta(days=30),
        completed_on=today - dt.timedelta(days=25),
    )
    upcoming = selectors.activity_upcoming(programme, today=today, days=60)
    assert [a.title for a in upcoming] == ["Winter practice week"]
    overdue = selectors.activity_overdue(programme, today=today)
    assert [a.title for a in overdue] == ["Care leavers' feedback survey"]

    snapshot = snapshots.pack_snapshot(meeting=meeting)
    section = snapshot["evaluation"]
    assert [a["title"] for a in section["upcoming"]] == ["Winter practice week"]
    assert [a["title"] for a in section["overdue"]] == ["Care leavers' feedback survey"]
    html = documents.render_pack_html(snapshot)
    overdue_part, coming_up = html.split(">Coming up</h3>")[0], html.split(">Coming up</h3>")[1]
    assert "Care leavers&#x27; feedback survey" in overdue_part.split(">Overdue</h3>")[1]
    assert "govuk-tag--red" in overdue_part
    assert "feedback survey" not in coming_up.split("</section>")[0]
