import pytest

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_gov_uk_style_404(client, board_member):
    client.force_login(board_member)
    response = client.get("/themes/no-such-theme/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-heading-l" in html


@pytest.mark.parametrize("path", ["/budget/2019-21/", "/budget/2031-32/", "/no/such/page/"])
def test_addresses_that_do_not_exist_are_404(client, board_member, path):
    client.force_login(board_member)
    assert client.get(path).status_code == 404


def test_a_forbidden_page_is_a_gov_uk_style_403_with_the_reason(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get("/themes/supervision/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to this page" in html
    assert "ask the programme manager" in html


def test_a_bad_request_says_it_could_not_be_understood_and_offers_the_way_home(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2  # a query with more fields is refused as unsafe
    response = client.get("/accounts/login/?a=1&b=2&c=3")
    assert response.status_code == 400
    html = response.content.decode()
    assert "the request could not be understood" in html
    assert "Sign-in could not be completed" not in html
    assert 'href="/"' in html and "Go to the programme home page" in html
