"""Browser tests: Playwright driving Debian's Chromium (no browser download is possible)."""

import datetime as dt
import os
from decimal import Decimal

import pytest

from tests.services import CHROMIUM, chromium_available, need

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_PASSWORD = "secret-pass-123"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(autouse=True)
def _chromium_installed():
    need(
        chromium_available(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    return _sign_in


@pytest.fixture
def demo_programme(settings):
    """The whole demo, loaded in the test's own (transactional) database: for a test that reads a
    few of its pages. The accessibility crawl shares one load across its roles instead."""
    from portfolio import demo, loader

    settings.DEBUG = True
    programme, _ = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
    demo.demo_data_load(programme=programme)
    return programme


@pytest.fixture
def theme_in_progress(theme):
    """The theme with a measure read monthly from January to October 2026 and a milestone."""
    from tests.themes.factories import MeasureFactory, MeasureReadingFactory, MilestoneFactory

    measure = MeasureFactory(
        theme=theme,
        name="Supervision within timescale",
        baseline_value=Decimal("60"),
        target_value=Decimal("90"),
        target_date=dt.date(2027, 3, 31),
    )
    for month in range(1, 11):
        MeasureReadingFactory(
            measure=measure, value=Decimal(60 + month * 2), date=dt.date(2026, month, 28)
        )
    MilestoneFactory(
        theme=theme, title="Supervision policy refreshed", due_date=dt.date(2026, 10, 1)
    )
    return theme


def assert_accessible(page):
    """axe-core (shipped inside axe-playwright-python, so offline) with WCAG 2.2 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    assert results.violations_count == 0, results.generate_report()
    # Every box, list and area to fill in looks like the GOV.UK Design System's, not a bare
    # browser control.
    unstyled = page.evaluate(
        """() => [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
            .filter((e) => !(e.className || "").includes("govuk-"))
            .map((e) => e.name || e.id)"""
    )
    assert unstyled == [], f"Form controls without GOV.UK styles on {page.url}: {unstyled}"
