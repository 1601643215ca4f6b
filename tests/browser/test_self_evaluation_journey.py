"""The programme manager starts a self-evaluation, sees what it cannot yet stand behind, writes a
claim, submits it for review from its confirmation page; the DCS signs it off with the keyboard.
Every page passes the axe check."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from evaluation.models import JudgementArea
from havering_improve import roles
from selfevaluation.actions import grants as grants_actions
from tests.browser.conftest import assert_accessible
from tests.evaluation.factories import ActivityFactory, AuditResultFactory, days_ago
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready(programme, theme, programme_manager):
    Group.objects.get_or_create(name=roles.BOARD_MEMBER)
    JudgementArea.objects.get(framework="ILACS", slug="leaders").themes.set([theme])
    audit = ActivityFactory(programme=programme, title="Autumn audit", completed_on=days_ago(20))
    AuditResultFactory(activity=audit, theme=theme, date=days_ago(20))
    dcs = UserFactory(
        username="dcs", first_name="Angela", last_name="Morrison", roles=[roles.BOARD_MEMBER]
    )
    grants_actions.sign_off_grant(
        actor=programme_manager,
        programme=programme,
        user=dcs,
        role_title="Director of Children's Services",
        granted_on=days_ago(3),
    )
    return dcs


def test_a_self_evaluation_is_written_submitted_and_signed_off(
    sign_in, page, live_server, programme_manager, ready
):
    sign_in("pm")
    page.goto(f"{live_server.url}/self-evaluation/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a self-evaluation").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the year of the self-evaluation"
    )
    assert_accessible(page)

    today = days_ago(0)
    page.get_by_label("Year of the self-evaluation").fill("2026/27")
    day = page.get_by_role("group", name="Evidence up to")
    day.get_by_label("Day").fill(str(today.day))
    day.get_by_label("Month").fill(str(today.month))
    day.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Who signs it off").select_option(label="Angela Morrison")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-evaluation 2026/27")
    expect(page.get_by_text("Autumn audit").first).to_be_visible()
    expect(page.locator(".govuk-warning-text").first).to_contain_text("no evidence")
    assert_accessible(page)

    page.get_by_role(
        "link", name="Add a strength or area for improvement to The impact of leaders"
    ).click()
    page.get_by_label("Strength", exact=True).check()
    page.get_by_label("Sentence").fill("Supervision is recorded more often than last year.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("No evidence linked")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Submit for review").click()
    expect(page.get_by_text("freezes a numbered copy")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 1 is with")

    page.context.clear_cookies()
    sign_in("dcs")
    page.goto(f"{live_server.url}/self-evaluation/")
    page.get_by_role("link", name="2026/27", exact=True).click()
    page.get_by_role("link", name="Sign it off").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("freezes the 2026/27 self-evaluation for good")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign it off").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 2 is frozen")
    # Signing off leads to the frozen version, with its documents.
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-evaluation 2026/27")
    expect(page.get_by_role("link", name="Download it as a Word document (DOCX)")).to_be_visible()
    assert_accessible(page)
