"""Starting the same month's highlight report twice (a double click, or the lead and the
programme manager at once) starts one report and takes the second request to it, never a 500."""

import datetime as dt

import pytest

from havering_improve.errors import AlreadyDone
from themes.actions import reports
from themes.actions.reports import highlight_report_start
from themes.models import HighlightReport

from .factories import HighlightReportFactory

pytestmark = pytest.mark.django_db

NOVEMBER = dt.date(2026, 11, 1)


def test_starting_a_months_report_twice_starts_one(lead, theme):
    first = highlight_report_start(theme=theme, period=NOVEMBER, actor=lead)
    with pytest.raises(AlreadyDone, match="There is already a report for November 2026") as exc:
        highlight_report_start(theme=theme, period=dt.date(2026, 11, 20), actor=lead)
    assert exc.value.obj == first
    assert HighlightReport.objects.count() == 1


@pytest.mark.parametrize("caught_by", ["the constraint check", "the database"])
def test_a_start_that_loses_the_race_is_told_which_report_stands(
    lead, theme, monkeypatch, caught_by
):
    first = highlight_report_start(theme=theme, period=NOVEMBER, actor=lead)
    # A second start that looked for the month's report before the first one's row was there.
    looked = []

    def report_for(theme, period):
        looked.append(period)
        return None if len(looked) == 1 else first

    monkeypatch.setattr(reports, "_report_for", report_for)
    if caught_by == "the database":  # it also passed validation before the first was saved
        monkeypatch.setattr(
            HighlightReport, "validate_constraints", lambda self, exclude=None: None
        )
    with pytest.raises(AlreadyDone, match="There is already a report for November 2026") as exc:
        highlight_report_start(theme=theme, period=NOVEMBER, actor=lead)
    assert exc.value.obj == first
    assert HighlightReport.objects.count() == 1


def test_a_double_click_on_start_opens_the_report_already_started(client, lead, theme):
    client.force_login(lead)
    first = client.post("/themes/supervision/reports/new/", {"period": "2026-11-01"})
    second = client.post("/themes/supervision/reports/new/", {"period": "2026-11-01"}, follow=True)
    report = HighlightReport.objects.get()
    assert first["Location"] == f"/themes/supervision/reports/{report.pk}/edit/"
    assert second.redirect_chain == [(f"/themes/supervision/reports/{report.pk}/edit/", 302)]
    assert (
        "There is already a report for November 2026. Here it is; nothing new was started."
        in second.content.decode()
    )


def test_a_submitted_months_report_is_opened_to_read(client, lead, theme):
    report = HighlightReportFactory(theme=theme, period=NOVEMBER, status="submitted")
    client.force_login(lead)
    response = client.post("/themes/supervision/reports/new/", {"period": "2026-11-01"})
    assert response["Location"] == f"/themes/supervision/reports/{report.pk}/"
    assert list(HighlightReport.objects.filter(theme=theme)) == [report]  # nothing new
