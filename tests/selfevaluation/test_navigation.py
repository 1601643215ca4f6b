"""The service navigation offers the self-evaluation to those who read some part of it, and the
address it gives answers them; others are not shown a link to a page that would refuse them."""

import re

import pytest

from tests.form_page import signed_in

pytestmark = pytest.mark.django_db

NAV_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="/self-evaluation/"[^>]*>\s*Self-evaluation'
)


@pytest.mark.parametrize("who", ["programme_manager", "board_member", "auditor", "lead"])
def test_readers_find_the_self_evaluation_in_the_navigation(request, who):
    client = signed_in(request.getfixturevalue(who))
    assert NAV_LINK.search(client.get("/").content.decode())
    assert client.get("/self-evaluation/").status_code == 200


@pytest.mark.parametrize("who", ["finance_officer", "team_member"])
def test_others_are_not_offered_a_page_that_refuses_them(request, who):
    client = signed_in(request.getfixturevalue(who))
    assert not NAV_LINK.search(client.get("/").content.decode())
    assert client.get("/self-evaluation/").status_code == 403
