"""In a browser, a theme's measures page and the published pack show their charts, each fetched
from its own address (the page's Content Security Policy allows the service's own images), and
both pages pass axe."""

import os

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("CHART_SCREENSHOTS")  # a folder to keep screenshots in, when set


def charts_drawn(page) -> list[bool]:
    """Whether each chart on the page has loaded an image, after scrolling to each (the lazy
    ones load as they near)."""
    charts = page.locator("img.app-chart")
    for n in range(charts.count()):
        charts.nth(n).scroll_into_view_if_needed()
        charts.nth(n).evaluate("img => img.decode().catch(() => null)")
    return charts.evaluate_all(
        "imgs => imgs.map(i => i.complete && i.naturalWidth > 0 && !i.src.startsWith('data:'))"
    )


def test_the_measures_page_and_the_published_pack_show_their_charts(
    page,
    live_server,
    sign_in,
    demo_programme,
):
    from django.conf import settings

    from reporting.models import MeetingPack

    sign_in("board.member", settings.DEMO_PASSWORD)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/themes/supervision/measures/")
    drawn = charts_drawn(page)
    assert drawn and all(drawn), drawn
    if SHOTS:
        page.locator("img.app-chart").first.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/measures.png")
    assert_accessible(page)

    pack = MeetingPack.objects.filter(status="published").order_by("-meeting__date").first()
    page.goto(f"{live_server.url}{pack.get_absolute_url()}")
    drawn = charts_drawn(page)
    assert drawn and all(drawn), drawn
    if SHOTS:
        page.locator("img.app-chart").first.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/pack.png")
    assert_accessible(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors
