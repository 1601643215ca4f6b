"""The budget report's chart is served at an address of its own, keyed by the figures it draws:
the report stays light, the browser keeps the chart until the figures change, and only those
who may read the report get it. It draws the report's totals, the same for every role."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from budget.actions import lines as line_actions

pytestmark = pytest.mark.django_db

Y = "/budget/2019-20"
CHART = re.compile(r'<img [^>]*src="(/budget/2019-20/chart/(\w+)/([0-9a-f]{20})\.svg)"[^>]*>')


def drawn(svg: bytes) -> bytes:
    """What an SVG draws, without the id (a UUID) pygal gives each chart it renders."""
    return re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"id", svg)


def chart_on(client, query="") -> re.Match:
    html = client.get(f"{Y}/{query}").content.decode()
    assert "data:image/svg" not in html
    found = CHART.search(html)
    assert found, "the report shows its chart"
    return found


def test_the_report_links_its_chart_with_its_text_alternative(imported_sample, client, lead):
    client.force_login(lead)
    found = chart_on(client)
    tag = found.group(0)
    assert found.group(2) == "latest"
    # Below the report's table: the browser fetches it when it is scrolled to.
    assert 'loading="lazy"' in tag
    assert 'width="800" height="360"' in tag
    assert 'alt="Line chart of cumulative spend by period: actual spend to period 6 of' in tag
    response = client.get(found.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"Cumulative spend against profile and forecast" in response.content


def test_a_period_asked_for_has_its_own_chart(imported_sample, client, board_member):
    client.force_login(board_member)
    latest, earlier = chart_on(client), chart_on(client, "?period=3")
    assert earlier.group(2) == "3"
    assert earlier.group(3) != latest.group(3)
    assert client.get(earlier.group(1)).status_code == 200
    assert client.get(f"{Y}/chart/13/{earlier.group(3)}.svg").status_code == 404
    assert client.get(f"{Y}/chart/soon/{earlier.group(3)}.svg").status_code == 404


def test_every_reader_of_the_report_gets_the_same_chart_and_no_one_else_does(
    imported_sample, client, finance_officer, board_member, team_member, no_role_user
):
    client.force_login(finance_officer)
    address = chart_on(client).group(1)
    keeper_sees = drawn(client.get(address).content)
    for reader in (board_member, team_member):
        client.force_login(reader)
        assert chart_on(client).group(1) == address
        # Totals only, as the report's table shows them to everyone: no row, no post's cost.
        assert drawn(client.get(address).content) == keeper_sees
    assert b"P10231" not in keeper_sees and b"Payroll" not in keeper_sees
    client.force_login(no_role_user)
    assert client.get(address).status_code == 403
    client.logout()
    assert client.get(address)["Location"].startswith("/accounts/login/")
    client.force_login(board_member)
    assert client.get(address.replace("/2019-20/", "/2030-31/")).status_code == 404


def test_a_change_to_the_figures_gives_the_chart_a_new_address(
    imported_sample, client, finance_officer, lines, summaries_cache, committed
):
    client.force_login(finance_officer)
    before = chart_on(client).group(1)
    drawn_before = drawn(client.get(before).content)
    assert chart_on(client).group(1) == before  # the same figures, the same address
    committed(
        lambda: line_actions.commitment_add(
            line=lines["resources"],
            actor=finance_officer,
            kind="order",
            description="Website phase 2",
            amount=D("1500.00"),
            raised_on=dt.date(2019, 9, 20),
        )
    )
    after = chart_on(client).group(1)
    assert after != before
    assert drawn(client.get(after).content) != drawn_before  # the forecast takes the commitment
    # The old address never answers with another chart.
    assert client.get(before).status_code == 404
