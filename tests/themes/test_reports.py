"""Monthly highlight reports: prefilled, validated, locked once submitted, corrected by revision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from themes.actions.reports import highlight_report_update
from themes.models import HighlightReport

from .factories import HighlightReportFactory, MilestoneFactory, RiskFactory

pytestmark = pytest.mark.django_db


def _report_post(report, **extra):
    data = {
        "version": report.version,
        "overall_rag": "green",
        "overall_reason": "",
        "status_summary": "On plan.",
        "achievements": "",
        "next_period": "",
        "path_to_green": "",
        "key_risks_issues": "",
        "decisions_needed": "",
        "lessons": "",
    }
    for area in HighlightReport.AREAS:
        data[f"{area}_rag"] = "green"
        data[f"{area}_reason"] = ""
    data.update(extra)
    return data


def test_a_new_report_is_prefilled_from_the_themes_live_data(client, lead, theme):
    MilestoneFactory(
        theme=theme,
        title="Audit done",
        status="done",
        due_date=dt.date(2026, 11, 10),
        completed_on=dt.date(2026, 11, 12),
    )
    MilestoneFactory(theme=theme, title="Training due", due_date=dt.date(2026, 12, 15))
    MilestoneFactory(theme=theme, title="Policy late", due_date=dt.date(2026, 9, 1))
    RiskFactory(theme=theme, description="Recruitment lag", likelihood=4, impact=4)
    client.force_login(lead)
    response = client.post("/themes/supervision/reports/new/", {"period": "2026-11-01"})
    report = HighlightReport.objects.get()
    assert response["Location"] == f"/themes/supervision/reports/{report.pk}/edit/"
    assert "Audit done (done 12 November 2026)" in report.achievements
    assert "Training due" in report.next_period
    assert "Recruitment lag (score 16" in report.key_risks_issues
    assert report.time_rag == "amber" and "Policy late" in report.time_reason
    assert report.risk_rag == "red"
    assert report.status == "draft" and report.created_by == lead


def test_a_second_report_for_the_same_month_is_refused(client, lead, theme):
    HighlightReportFactory(theme=theme, period=dt.date(2026, 11, 1))
    client.force_login(lead)
    response = client.post(
        "/themes/supervision/reports/new/", {"period": "2026-11-01"}, follow=True
    )
    assert "There is already a report for November 2026" in response.content.decode()
    assert HighlightReport.objects.count() == 1


def test_a_red_area_without_a_reason_is_refused_on_the_field(client, lead, draft_report):
    client.force_login(lead)
    response = client.post(
        f"/themes/supervision/reports/{draft_report.pk}/edit/",
        _report_post(draft_report, cost_rag="red", cost_reason=""),
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert html.count("Give the reason cost is rated red") == 2
    draft_report.refresh_from_db()
    assert draft_report.cost_rag == "green"


def test_a_lead_submits_a_report_and_it_is_locked(client, lead, draft_report):
    client.force_login(lead)
    response = client.post(
        f"/themes/supervision/reports/{draft_report.pk}/submit/",
        {"version": draft_report.version},
    )
    assert response.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == "submitted" and draft_report.submitted_by == lead
    page = client.get(f"/themes/supervision/reports/{draft_report.pk}/").content.decode()
    assert "This report is locked" in page
    # The edit page no longer opens, and a posted edit changes nothing.
    edit_url = f"/themes/supervision/reports/{draft_report.pk}/edit/"
    assert client.get(edit_url)["Location"] == f"/themes/supervision/reports/{draft_report.pk}/"
    client.post(edit_url, _report_post(draft_report, status_summary="Rewritten"))
    draft_report.refresh_from_db()
    assert draft_report.status_summary == "Going well."
    with pytest.raises(ValidationError, match="locked"):
        highlight_report_update(
            report=draft_report, actor=lead, version=draft_report.version, lessons="x"
        )


def test_a_report_with_gaps_cannot_be_submitted_and_says_what_is_missing(client, lead, theme):
    report = HighlightReportFactory(
        theme=theme, status="draft", overall_rag="amber", benefits_rag=""
    )
    report.overall_reason = "Slipping"
    report.save()
    client.force_login(lead)
    html = client.post(
        f"/themes/supervision/reports/{report.pk}/submit/", {"version": report.version}
    ).content.decode()
    assert "Choose a rating for benefits" in html
    assert "Say how the theme gets back to green" in html
    report.refresh_from_db()
    assert report.status == "draft"


def test_a_correction_is_a_new_revision_with_its_reason_and_the_original_stays(client, lead, theme):
    original = HighlightReportFactory(
        theme=theme, status="submitted", status_summary="As submitted"
    )
    client.force_login(lead)
    response = client.post(
        f"/themes/supervision/reports/{original.pk}/correct/",
        {"reason": "The audit figure was wrong"},
    )
    revision = HighlightReport.objects.get(revision=2)
    assert response["Location"] == f"/themes/supervision/reports/{revision.pk}/edit/"
    assert revision.revision_reason == "The audit figure was wrong"
    assert revision.status == "draft" and revision.status_summary == "As submitted"
    original.refresh_from_db()
    assert original.status == "submitted" and original.status_summary == "As submitted"
    page = client.get(f"/themes/supervision/reports/{original.pk}/").content.decode()
    assert "revision 2</a>" in page


def test_a_correction_needs_a_reason(client, lead, theme):
    original = HighlightReportFactory(theme=theme, status="submitted")
    client.force_login(lead)
    html = client.post(
        f"/themes/supervision/reports/{original.pk}/correct/", {"reason": ""}
    ).content.decode()
    assert "Say why the report needs correcting" in html
    assert HighlightReport.objects.count() == 1


def test_the_latest_submitted_report_is_what_the_board_sees(theme):
    from themes import selectors

    HighlightReportFactory(
        theme=theme, period=dt.date(2026, 10, 1), status="submitted", overall_rag="red"
    )
    HighlightReportFactory(
        theme=theme, period=dt.date(2026, 11, 1), status="draft", overall_rag="green"
    )
    latest = selectors.latest_submitted_report(theme)
    assert latest.period == dt.date(2026, 10, 1) and latest.overall_rag == "red"
    assert selectors.recent_submitted_reports(theme.programme)[theme.pk] == [latest]
