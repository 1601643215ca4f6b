"""A meeting pack's page links each chart at an address of its own, which the browser keeps; the
pack's stored HTML and its PDF still embed them, as built."""

import base64
import datetime as dt
import re

import pytest

from reporting.actions import packs as pack_actions
from tests.themes.factories import MeasureFactory, MeasureReadingFactory

from .test_packs import (
    build,
    programme_data,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db

CHART = re.compile(r'<img class="app-chart" src="(/board/packs/\d+/charts/([0-9a-f]+)\.svg)"[^>]*>')
EMBEDDED = re.compile(r'src="data:image/svg\+xml;base64,([^"]+)"')


@pytest.fixture
def published(programme_data, theme, programme_manager, django_capture_on_commit_callbacks):  # noqa: F811
    for n in range(2):  # three charts in all
        measure = MeasureFactory(theme=theme, name=f"Audits done {n}")
        MeasureReadingFactory(measure=measure, date=dt.date(2026, 9, 1), value="40")
    pack = build(programme_data, django_capture_on_commit_callbacks)
    pack_actions.pack_publish(pack=pack, actor=programme_manager)
    pack.refresh_from_db()
    return pack


def stored(pack) -> str:
    with pack.html.open("rb") as f:
        return f.read().decode()


def test_the_published_pack_links_its_charts_with_their_text_alternatives(
    client, board_member, published
):
    client.force_login(board_member)
    html = client.get(published.get_absolute_url()).content.decode()
    assert "data:image/svg" not in html
    tags = [c.group(0) for c in CHART.finditer(html)]
    assert len(tags) == 3
    assert 'alt="Supervisions on time: 3 readings from 60% on 1 June 2026' in tags[0]
    assert ['loading="lazy"' in tag for tag in tags] == [False, False, True]
    # Each address answers the very chart the pack was built with.
    embedded = [base64.b64decode(data) for data in EMBEDDED.findall(stored(published))]
    for chart, svg in zip(CHART.finditer(html), embedded, strict=True):
        response = client.get(chart.group(1))
        assert response.status_code == 200
        assert response.content == svg
        assert response["Content-Type"] == "image/svg+xml"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, max-age=31536000, immutable"


def test_the_pack_as_stored_still_embeds_its_charts_for_its_pdf(published):
    # What the PDF is rendered from; tests/board/test_tagged_pdfs.py checks the PDF's Figures.
    assert len(EMBEDDED.findall(stored(published))) == 3


def test_a_chart_of_a_pack_not_yet_published_is_the_programme_manager_s_alone(
    client,
    board_member,
    programme_manager,
    programme_data,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    pack = build(programme_data, django_capture_on_commit_callbacks)
    client.force_login(programme_manager)
    chart = CHART.search(client.get(pack.get_absolute_url()).content.decode()).group(1)
    assert client.get(chart).status_code == 200
    client.force_login(board_member)
    assert client.get(chart).status_code == 403
    client.logout()
    assert client.get(chart)["Location"].startswith("/accounts/login/")


def test_an_address_that_names_no_chart_of_the_pack_is_not_found(client, board_member, published):
    client.force_login(board_member)
    stray = f"/board/packs/{published.pk}/charts/0123456789abcdef0123.svg"
    assert client.get(stray).status_code == 404
