"""For each role, visit every kind of page reachable from the navigation (two clicks deep) and
check it with axe-core against WCAG 2.2 A and AA. One page of each URL pattern is visited, so
the crawl grows with the kinds of page, not with the data.

Each form found on those pages is also sent empty, once, and its error state checked: the GOV.UK
error summary is there, takes the focus, links to the fields on the page, and passes axe. Forms
with nothing to fill in (a lone "Build the pack" button) have no error state, and forms whose
button deletes or otherwise acts for good are left alone."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from portfolio import demo, loader
from tests.browser.conftest import assert_accessible
from tests.services import CHROMIUM, chromium_available, need

# Every role's crawl reads one demo, loaded once and committed (see `demo_server`): under `make
# test` the six run one after another on one worker. Each test's own transaction (django_db)
# is rolled back, and nothing is written in it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.xdist_group("accessibility-crawl"),
]

SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics", ".svg", ".json", ".docx")
SKIP_PREFIXES = ("/admin/", "/accounts/logout/", "/oidc/", "/static/", "/media/", "/healthz")
MAX_PAGES = 60
# Addresses that answer with a file to download, not a page (a browser starts a download).
DOWNLOADS = {
    "board:pack_pdf",
    "budget:import_file",
    "themes:evidence",
    "evaluation:evidence_download",
    "selfevaluation:version_docx",
    "selfevaluation:letter",
}
# What a button says when pressing it deletes, undoes or closes something, or signs out.
ACTS_FOR_GOOD = re.compile(
    r"delete|remove|reverse|cancel|discard|apply to|close|reopen|carry forward|publish|withdraw|"
    r"archive|lock|"
    r"sign out|^import \d+ rows",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    """The whole demo (the programme, its users and every app's part, the packs' PDFs too: most
    of a minute to build) loaded once for every role's crawl and served by a live server of the
    crawl's own. Each role signs in on a browser of its own; the crawls read pages and send
    forms empty, so each role meets the demo as it was loaded. Afterwards the database is
    emptied, as a transactional test leaves it."""
    need(
        chromium_available(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        try:
            programme, _ = loader.programme_load(
                data=loader.read_data_file(loader.DEFAULT_DATA_FILE)
            )
            loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
            demo.demo_data_load(programme=programme)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield server
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in DOWNLOADS:
        return None
    # Each part of a theme's page is a page of its own kind.
    return match.view_name + match.kwargs.get("section", "")


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urlparse(urljoin(page.url, href))
        if url.netloc != urlparse(base).netloc or url.path.endswith(SKIP_SUFFIXES):
            continue
        if url.path.startswith(SKIP_PREFIXES):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


# Each form on the page with something to fill in and a button that acts on it: its index among
# the page's forms and the text of its (first) submit button.
_FORMS_WITH_FIELDS = """() => Array.from(document.forms).map((form, index) => {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return null;
    const button = form.querySelector(
        "button[type=submit], button:not([type]), input[type=submit]");
    const fields = Array.from(form.elements).filter(el =>
        !["BUTTON", "FIELDSET", "OBJECT", "OUTPUT"].includes(el.tagName)
        && !["hidden", "submit", "button", "reset", "image"].includes(el.type));
    if (!button || !fields.length) return null;
    return {index, button: (button.innerText || button.value || "").trim()};
}).filter(Boolean)"""

# Empty every field of form number i, as a user who fills nothing in would send it.
_EMPTY_THE_FORM = """i => {
    for (const el of document.forms[i].elements) {
        if (["hidden", "submit", "button", "reset", "image", "file"].includes(el.type)) continue;
        if (el.type === "checkbox" || el.type === "radio") el.checked = false;
        else if (el.tagName === "SELECT")
            el.selectedIndex = Array.from(el.options).findIndex(o => o.value === "");
        else if ("value" in el) el.value = "";
    }
}"""

# The error summary's links that do not lead to an element on the page.
_LINKS_TO_NOWHERE = """() => Array.from(
    document.querySelectorAll(".govuk-error-summary__list a[href^='#']"))
    .filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1))))
    .map(a => a.getAttribute("href") + " " + a.innerText)"""


def _sendable_forms(page) -> list[dict]:
    return [
        form
        for form in page.evaluate(_FORMS_WITH_FIELDS)
        if not ACTS_FOR_GOOD.search(form["button"])
    ]


def _check_error_states(page, url: str, forms: list[dict]) -> list[str]:
    """Send each form on the page at `url` empty; check the error summary it comes back with.
    Returns a description of each error state checked."""
    checked = []
    for n, form in enumerate(forms):
        if n:  # the page as it was, for the next form
            page.goto(url)
        page.evaluate(_EMPTY_THE_FORM, form["index"])
        button = (
            page.locator("form")
            .nth(form["index"])
            .locator("button[type=submit], button:not([type]), input[type=submit]")
        )
        with page.expect_navigation() as navigation:
            button.first.click()
        response = navigation.value
        where = f"{url} sent empty by {form['button']!r}"
        assert response is None or response.status < 500, f"{where} answered {response.status}"
        summary = page.locator(".govuk-error-summary")
        if summary.count() == 0:
            continue
        expect(summary).to_be_focused()
        items = summary.locator(".govuk-error-summary__list li")
        assert items.count() > 0, f"{where}: the error summary lists no problems"
        assert summary.locator(".govuk-error-summary__list a").count() > 0, (
            f"{where}: the error summary links to no field"
        )
        assert page.evaluate(_LINKS_TO_NOWHERE) == [], f"{where}: links to nothing on the page"
        assert_accessible(page)
        checked.append(where)
    return checked


@pytest.mark.parametrize(
    "username",
    [
        "programme.manager",
        "lead.supervision",
        "member.supervision",
        "board.member",
        "finance.officer",
        "auditor",
    ],
)
def test_every_page_a_role_can_reach_passes_axe(page, demo_server, username):
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    seen_patterns: set[str] = set()
    queue = [("/", 0)]
    checked = []
    error_states = []
    while queue and len(checked) < MAX_PAGES:
        path, depth = queue.pop(0)
        pattern = _pattern(path.split("?")[0])
        if pattern is None or pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        response = page.goto(f"{demo_server.url}{path}")
        assert response.status < 500, f"{path} answered {response.status}"
        if response.status != 200:
            continue
        assert_accessible(page)
        checked.append(path)
        if depth < 2:
            queue.extend((link, depth + 1) for link in _links(page, demo_server.url))
        forms = _sendable_forms(page)
        if forms:
            error_states += _check_error_states(page, page.url, forms)
    assert len(checked) >= 5, checked
    if username in ("programme.manager", "lead.supervision", "finance.officer"):
        assert error_states, f"No form's error state was reached from {checked}"
