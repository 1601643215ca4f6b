import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.evaluation.factories import ActivityFactory, days_ago
from tests.themes.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planned_audit(programme, theme):
    MeasureFactory(theme=theme, name="Supervision audits graded good or better")
    return ActivityFactory(
        programme=programme,
        title="Winter supervision audit",
        start_date=days_ago(12),
        end_date=days_ago(10),
        completed_on=days_ago(10),
        themes=[theme],
    )


def test_the_programme_manager_records_a_qa_audit_and_sees_the_measure_reading(
    sign_in, page, live_server, programme_manager, planned_audit
):
    sign_in("pm")
    page.goto(f"{live_server.url}/evaluation/")
    assert_accessible(page)
    page.get_by_role("link", name="Winter supervision audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Winter supervision audit")
    page.get_by_role("button", name="Record audit grades").click()

    day = days_ago(10)
    page.get_by_label("Theme").select_option(label="Supervision")
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Number of cases audited").fill("5")
    page.get_by_label("Cases graded outstanding").fill("1")
    page.get_by_label("Cases graded good", exact=True).fill("5")
    page.get_by_label("Cases graded requires improvement to be good").fill("2")
    page.get_by_label("Cases graded inadequate").fill("0")
    page.get_by_label("Record the percentage good or better").select_option(
        label="Supervision: Supervision audits graded good or better"
    )
    page.get_by_role("button", name="Save audit grades").click()

    # More grades than cases: refused, said plainly, and the page stays accessible.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The grades add up to 8, which is more than the 5 cases")
    assert_accessible(page)

    page.get_by_label("Number of cases audited").fill("8")
    page.get_by_role("button", name="Save audit grades").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "75.0% of cases were good or better"
    )
    expect(page.get_by_text("Supervision: 75.0% good or better")).to_be_visible()
    assert_accessible(page)

    # The reading appears with the theme's evidence, linked back to the audit.
    page.get_by_role("link", name="Supervision").first.click()
    expect(page.get_by_role("heading", name="Evaluation evidence")).to_be_visible()
    readings = page.get_by_role(
        "table", name=re.compile(r"^Supervision audits graded good or better")
    )
    expect(readings).to_contain_text("75%")
    expect(readings.get_by_role("link", name="QA audit: Winter supervision audit")).to_be_visible()
    assert_accessible(page)

    # On the theme's own page: the measure has moved, and the Evidence tab lists the audit.
    page.goto(f"{live_server.url}/themes/supervision/")
    parts = page.get_by_role("navigation", name="Parts of this theme")
    parts.get_by_role("link", name="Measures").click()
    measure = page.locator("section", has_text="Supervision audits graded good or better")
    expect(measure).to_contain_text("75")
    parts.get_by_role("link", name="Evaluation evidence").click()
    expect(parts.get_by_role("link", name="Evaluation evidence")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("table", name="Evidence for Supervision")).to_contain_text(
        "6 of 8 cases good or better (75.0%)"
    )
    assert_accessible(page)


def test_a_board_member_reads_the_readiness_page_for_a_judgement_area(
    sign_in, page, live_server, board_member, programme, theme, planned_audit
):
    from evaluation.models import JudgementArea
    from tests.evaluation.factories import AuditResultFactory, FindingFactory

    JudgementArea.objects.get(slug="leaders").themes.set([theme])
    AuditResultFactory(activity=planned_audit, theme=theme, date=days_ago(10))
    FindingFactory(activity=planned_audit, themes=[theme], title="Supervision is not reflective")
    sign_in("board")
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="Ofsted readiness").click()
    # The grid links each area to its evidence, folded below: following the link opens it.
    page.get_by_role("link", name="The impact of leaders on social work practice").first.click()
    area = page.locator("details#area-leaders")
    expect(area).to_have_attribute("open", "")
    expect(page).to_have_url(re.compile("#area-leaders$"))
    expect(area).to_contain_text("Supervision is not reflective")
    expect(area).to_contain_text("60.0%")
    expect(page.get_by_role("button", name="Plan an activity")).to_have_count(0)
    assert_accessible(page)


def test_every_evaluation_form_is_accessible_including_its_error_state(
    sign_in, page, live_server, programme_manager, programme, planned_audit
):
    from evaluation.actions import feedback as feedback_actions
    from evaluation.models import ActivityKind
    from tests.evaluation.factories import InspectionFactory, strand

    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    feedback_actions.feedback_save(
        activity=survey, actor=programme_manager, responses=3, key_messages="Fine"
    )
    visit = InspectionFactory(programme=programme)
    sign_in("pm")
    for path in [
        "/evaluation/activities/new/",
        f"/evaluation/activities/{planned_audit.pk}/findings/new/",
        f"/evaluation/activities/{survey.pk}/feedback/",
        f"/evaluation/activities/{survey.pk}/feedback/import/",
        "/evaluation/inspections/new/",
        f"/evaluation/inspections/{visit.pk}/recommendations/new/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        if path.endswith("/feedback/"):  # filled in from the saved feedback: blank it
            page.get_by_label("Number of responses").fill("")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
    for path in ["/evaluation/inspections/", f"/evaluation/inspections/{visit.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_the_programme_manager_chooses_the_themes_that_answer_an_area_by_keyboard(
    sign_in, page, live_server, programme_manager, programme, theme
):
    sign_in("pm")
    page.goto(f"{live_server.url}/evaluation/readiness/")
    page.locator("#area-leaders summary").click()
    page.locator("#area-leaders").get_by_role("link", name="Change the themes that answer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Themes that answer")
    assert_accessible(page)
    page.get_by_label(theme.title, exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check the themes")
    expect(page.locator(".govuk-summary-list")).to_contain_text(theme.title)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.locator("body")).to_contain_text("have been saved")
    page.goto(f"{live_server.url}/evaluation/readiness/areas/leaders/themes/")
    expect(page.locator("#history + .app-table-scroll")).to_contain_text(theme.title)
