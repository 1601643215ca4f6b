"""A lead's home flags what is past its day: this month's report still in draft after the 26th
is late, not "in progress" as if it were still to come."""

import datetime as dt

import pytest
from freezegun import freeze_time

from tests.themes.factories import HighlightReportFactory

pytestmark = pytest.mark.django_db


def _report_task(client, lead, month):
    client.force_login(lead)
    html = client.get("/").content.decode()
    start = html.index(f"Finish and submit the {month} highlight report")
    return html[start : html.index("</li>", start)]


@pytest.mark.parametrize(
    ("today", "hint", "status"),
    [
        ("2026-12-20 09:00", "Due 26 December 2026", "In progress"),
        ("2026-12-29 09:00", "Was due 26 December 2026; a draft is started", "Late"),
    ],
)
def test_a_draft_report_past_its_day_is_flagged_late(client, lead, theme, today, hint, status):
    with freeze_time(today):
        HighlightReportFactory(theme=theme, period=dt.date(2026, 12, 1), status="draft")
        task = _report_task(client, lead, "December 2026")
    assert hint in task
    assert f">{status}</strong>" in task
    assert ("govuk-tag--red" in task) == (status == "Late")
