"""A theme's charts are served each at an address of its own, keyed by the data it draws: the
page stays light, the browser keeps each chart until a reading changes it, and only those who
may read the theme get it."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from themes.actions.records import measure_reading_add

from .factories import MeasureFactory, MeasureReadingFactory

pytestmark = pytest.mark.django_db

IMG = re.compile(r"<img [^>]*>")
SRC = re.compile(r'src="(/themes/supervision/measures/(\d+)/chart/([0-9a-f]+)\.svg)"')


def charts_in(html: str) -> list[str]:
    return [tag for tag in IMG.findall(html) if "app-chart" in tag]


def src_of(tag: str) -> str:
    return SRC.search(tag).group(1)


@pytest.fixture
def measures(theme):
    made = []
    for n in range(3):
        measure = MeasureFactory(theme=theme, name=f"Visits on time {n}")
        for month, value in [(6, "55"), (8, "61.5")]:
            MeasureReadingFactory(measure=measure, date=dt.date(2026, month, 1), value=value)
        made.append(measure)
    return made


def test_the_measures_page_links_each_chart_instead_of_holding_it(client, board_member, measures):
    client.force_login(board_member)
    html = client.get("/themes/supervision/measures/").content.decode()
    assert "data:image/svg" not in html
    charts = charts_in(html)
    assert [int(SRC.search(tag).group(2)) for tag in charts] == [m.pk for m in measures]
    # The same text alternative as before: what the chart shows, in a sentence.
    assert (
        'alt="Visits on time 0: 2 readings from 55% on 1 June 2026 to 61.5% on 1 August'
        in (charts[0])
    )
    # The first two are on screen as the page opens; the browser waits to fetch the rest.
    assert ['loading="lazy"' in tag for tag in charts] == [False, False, True]
    for tag in charts:
        response = client.get(src_of(tag))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, max-age=31536000, immutable"
        assert b"<svg" in response.content


def test_the_measure_s_own_page_links_its_chart_too(client, lead, measures):
    client.force_login(lead)
    html = client.get(f"/themes/supervision/measures/{measures[1].pk}/").content.decode()
    assert "data:image/svg" not in html
    (chart,) = charts_in(html)
    assert 'loading="lazy"' not in chart
    assert "Visits on time 1: 2 readings" in chart
    assert client.get(src_of(chart)).status_code == 200


def test_the_page_allows_images_from_the_service_itself(client, board_member, measures):
    client.force_login(board_member)
    policy = client.get("/themes/supervision/measures/")["Content-Security-Policy"]
    assert "img-src 'self'" in policy
    chart = src_of(charts_in(client.get("/themes/supervision/measures/").content.decode())[0])
    # Opened on its own, the SVG may style itself and run nothing.
    policy = client.get(chart)["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "default-src 'none'" in policy


def test_a_new_reading_gives_the_chart_a_new_address(
    client, lead, programme_manager, measures, summaries_cache, committed
):
    client.force_login(lead)
    before = [
        src_of(t) for t in charts_in(client.get("/themes/supervision/measures/").content.decode())
    ]
    drawn_before = client.get(before[0]).content
    committed(
        lambda: measure_reading_add(
            measure=measures[0], actor=programme_manager, value=Decimal("70"),
            date=dt.date(2026, 10, 1),
        )
    )  # fmt: skip
    page = client.get("/themes/supervision/measures/").content.decode()
    after = [src_of(tag) for tag in charts_in(page)]
    assert after[0] != before[0]
    assert "3 readings from 55% on 1 June 2026 to 70% on 1 October 2026" in page
    assert client.get(after[0]).content != drawn_before
    # The other measures' charts keep their addresses, so the browser keeps them.
    assert after[1:] == before[1:]
    # The old address no longer answers (never with another chart).
    assert client.get(before[0]).status_code == 404


def test_a_changed_target_gives_the_chart_a_new_address(
    client, lead, measures, summaries_cache, committed
):
    client.force_login(lead)
    page = f"/themes/supervision/measures/{measures[0].pk}/"
    before = src_of(charts_in(client.get(page).content.decode())[0])
    measures[0].target_value = Decimal("95")
    committed(measures[0].save)
    after = src_of(charts_in(client.get(page).content.decode())[0])
    assert after != before


def test_only_those_who_may_read_the_theme_get_its_charts(
    client, board_member, no_role_user, other_theme, measures
):
    client.force_login(board_member)
    chart = src_of(charts_in(client.get("/themes/supervision/measures/").content.decode())[0])
    client.force_login(no_role_user)
    assert client.get(chart).status_code == 403
    client.logout()
    assert client.get(chart)["Location"].startswith("/accounts/login/")
    # Another theme's measure reached through this theme's address is Not Found.
    elsewhere = MeasureFactory(theme=other_theme)
    client.force_login(board_member)
    version = chart.rsplit("/", 1)[1]
    assert (
        client.get(f"/themes/supervision/measures/{elsewhere.pk}/chart/{version}").status_code
        == 404
    )
    assert client.get(chart.replace("/chart/", "/chart/0")).status_code == 404
