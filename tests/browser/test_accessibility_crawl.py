"""For each role, visit every kind of page reachable from the navigation (two clicks deep) and
check it with axe-core against WCAG 2.2 A and AA. One page of each URL pattern is visited, so
the crawl grows with the kinds of page, not with the data."""

from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from havering_improve import demo, loader
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics", ".svg", ".json")
SKIP_PREFIXES = ("/admin/", "/accounts/logout/", "/oidc/", "/static/", "/media/", "/healthz")
MAX_PAGES = 60


@pytest.fixture
def demo_programme(settings):
    settings.DEBUG = True
    programme, _ = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
    demo.demo_data_load(programme=programme)
    return programme


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
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


@pytest.mark.parametrize(
    "username",
    ["programme.manager", "lead.supervision", "board.member", "finance.officer", "auditor"],
)
def test_every_page_a_role_can_reach_passes_axe(page, live_server, demo_programme, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    seen_patterns: set[str] = set()
    queue = [("/", 0)]
    checked = []
    while queue and len(checked) < MAX_PAGES:
        path, depth = queue.pop(0)
        pattern = _pattern(path.split("?")[0])
        if pattern is None or pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status < 500, f"{path} answered {response.status}"
        if response.status != 200:
            continue
        assert_accessible(page)
        checked.append(path)
        if depth < 2:
            queue.extend((link, depth + 1) for link in _links(page, live_server.url))
    assert len(checked) >= 5, checked
