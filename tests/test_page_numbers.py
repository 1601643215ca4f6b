"""`?page=` with a digit sign that is not 0-9 (², ³, ٣, a full-width ３) is a wrong address on every
paginated page: 404, never a 500."""

import pytest

from tests.themes.factories import MeasureFactory

pytestmark = pytest.mark.django_db

ODD_DIGITS = ["²", "³", "¹", "٣", "３", "1²", "²0", "①", " 1", "1 ", "+1", "1.0", "0x1"]


@pytest.fixture
def measure(theme):
    return MeasureFactory(theme=theme, name="Supervisions on time")


@pytest.fixture
def paginated(measure):
    return [
        "/budget/2019-20/ledger/",
        "/budget/2019-20/ledger/?line=resources&",
        "/budget/2019-20/queue/",
        measure.get_absolute_url(),
        "/themes/supervision/history/",
    ]


def _with_page(path: str, page: str) -> str:
    joiner = "" if path.endswith(("?", "&")) else ("&" if "?" in path else "?")
    return f"{path}{joiner}page={page}"


def test_a_page_number_that_is_not_plain_digits_is_not_found(client, programme_manager, paginated):
    client.force_login(programme_manager)
    for path in paginated:
        assert client.get(_with_page(path, "1")).status_code == 200, path
        for page in ODD_DIGITS:
            assert client.get(_with_page(path, page)).status_code == 404, (path, page)
