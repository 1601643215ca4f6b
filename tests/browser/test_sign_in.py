import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_signs_in_and_sees_the_seven_themes(sign_in, page, live_server, lead, programme):
    sign_in("lead")
    # Home is the lead's own task list; the programme dashboard is one click away.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("needs you"))
    expect(page.get_by_text(programme.name).first).to_be_visible()
    page.get_by_role("link", name="Programme dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes")
    themes = page.get_by_role("table").filter(has_text="Project lead").first
    for title in programme.themes.values_list("title", flat=True):
        expect(themes.get_by_role("link", name=title)).to_be_visible()
    assert_accessible(page)


def test_the_login_page_and_its_error_state_are_accessible(sign_in, page, lead):
    sign_in("lead", "wrong-password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_keyboard_only_sign_in_and_sign_out(page, live_server, lead, programme):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus: type straight away
    page.keyboard.type("lead")
    page.keyboard.press("Tab")
    page.keyboard.type("secret-pass-123")
    page.keyboard.press("Enter")
    # Signed in, the lead lands on their own task list.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("needs you"))
    page.keyboard.press("Tab")  # the first stop on every page is the skip link
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
