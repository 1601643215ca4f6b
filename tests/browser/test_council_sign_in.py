"""Council sign-in in Chromium, against the stand-in provider (tests/oidc_stub.py)."""

import uuid

import pytest
from playwright.sync_api import expect

from havering_improve import roles
from tests.browser.conftest import assert_accessible
from tests.oidc_stub import StubProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADS_GROUP = str(uuid.uuid4())


@pytest.fixture
def provider(settings, programme):
    with StubProvider() as stub:
        stub.switch_on(settings, {LEADS_GROUP: roles.PROJECT_LEAD})
        stub.claims = {
            "oid": str(uuid.uuid4()),
            "preferred_username": "sam.lee@havering.gov.uk",
            "given_name": "Sam",
            "family_name": "Lee",
            "groups": [LEADS_GROUP],
        }
        yield stub


def test_sign_in_then_out_of_the_app_and_the_council_account(page, live_server, provider):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.get_by_text("Signed in as Sam Lee")).to_be_visible()
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    offer = page.get_by_role("button", name="Sign out of your council account too")
    expect(offer).to_be_visible()
    assert_accessible(page)
    offer.click()
    expect(page.get_by_role("heading", name="Sign in to Havering Improve")).to_be_visible()
    expect(offer).to_have_count(0)
    assert len(provider.end_session_requests) == 1


def test_a_refused_sign_in_ends_on_an_accessible_page_with_a_way_to_try_again(
    page, live_server, provider
):
    provider.refuse_codes = True
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", name="Sign-in could not be completed")).to_be_visible()
    assert_accessible(page)
    provider.refuse_codes = False
    page.get_by_role("button", name="Try signing in again").click()
    expect(page.get_by_text("Signed in as Sam Lee")).to_be_visible()
