"""A project lead's and the programme manager's journeys through a theme, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from themes import selectors
from themes.actions.pid import pid_submit, pid_update
from themes.models import HighlightReport, PIDVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_writes_and_submits_a_highlight_report_and_sees_it_locked(
    sign_in, page, live_server, lead, theme_in_progress
):
    sign_in("lead")
    page.get_by_role("link", name="My theme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision")
    assert_accessible(page)

    page.get_by_role("navigation", name="Parts of this theme").get_by_role(
        "link", name="Reports"
    ).click()
    page.get_by_role("link", name="Start a highlight report").click()
    page.get_by_label("Reporting month").select_option(label="November 2026")
    page.get_by_role("button", name="Start the report").click()

    # Pre-filled from live data: the overdue milestone makes time amber, with the reason.
    expect(page.get_by_label("Time rating", exact=True)).to_have_value("amber")
    expect(page.get_by_label("Reason for the time rating")).to_contain_text(
        "Supervision policy refreshed"
    )
    page.get_by_label("Overall status", exact=True).select_option("amber")
    page.get_by_label("Reason for the overall status").fill("One milestone is late.")
    page.get_by_label("Status summary").fill("Supervision is improving; the policy is late.")
    for area in ("Cost", "Scope", "Quality", "Benefits"):
        page.get_by_label(f"{area} rating", exact=True).select_option("green")
    page.get_by_label("Path to green").fill("Policy to the December meeting.")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Your changes were saved.")).to_be_visible()
    page.get_by_role("link", name="Submit the report").click()
    page.get_by_role("button", name="Submit and lock the report").click()

    expect(page.get_by_text("This report is locked")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the report")).to_have_count(0)
    expect(page.get_by_role("link", name="Correct this report")).to_be_visible()
    assert_accessible(page)
    report = HighlightReport.objects.get()
    assert report.status == "submitted" and report.submitted_by == lead


def test_a_lead_cannot_open_another_themes_edit_page(sign_in, page, live_server, lead, other_theme):
    sign_in("lead")
    response = page.goto(f"{live_server.url}/themes/quality-assurance/milestones/add/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(
        page.get_by_text("Only this theme's project lead or the programme manager")
    ).to_be_visible()
    assert_accessible(page)
    # Their reading of the other theme works, without the editing buttons.
    page.goto(f"{live_server.url}/themes/quality-assurance/")
    page.get_by_role("navigation", name="Parts of this theme").get_by_role(
        "link", name="Milestones"
    ).click()
    expect(page.get_by_role("heading", level=2, name="Milestones")).to_be_visible()
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)


def test_the_programme_manager_approves_a_pid_version(
    sign_in, page, live_server, lead, programme_manager, theme, theme_in_progress
):
    pid = selectors.pid_for_reading(theme)
    pid = pid_update(
        pid=pid, actor=lead, version=pid.version, aims="Reflective supervision for all."
    )
    pid = pid_submit(pid=pid, actor=lead, version=pid.version)

    sign_in("pm")
    page.goto(f"{live_server.url}/themes/supervision/")
    assert_accessible(page)  # the PID
    page.goto(f"{live_server.url}/themes/supervision/measures/")
    assert_accessible(page)  # the charts
    page.goto(f"{live_server.url}/themes/supervision/")
    page.get_by_role("link", name="Approve or return the PID").click()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose whether to approve or return the PID"
    )
    assert_accessible(page)
    page.get_by_label("Approve this PID").check()
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_text("Version 1 of the PID is approved.")).to_be_visible()
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Project initiation document, version 1"
    )
    expect(page.get_by_text("Reflective supervision for all.")).to_be_visible()
    assert_accessible(page)
    assert PIDVersion.objects.get().approved_by == programme_manager
