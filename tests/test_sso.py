from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model

from havering_improve import roles
from tests.oidc_stub import CLIENT_ID, StubProvider

pytestmark = pytest.mark.django_db

ROLE_GROUPS = {
    "CSC-Improve-ProgrammeManager": roles.PROGRAMME_MANAGER,
    "CSC-Improve-Leads": roles.PROJECT_LEAD,
    "CSC-Improve-Board": roles.BOARD_MEMBER,
}


@pytest.fixture
def provider(settings, programme):
    with StubProvider() as stub:
        for name, value in stub.settings().items():
            setattr(settings, name, value)
        settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "havering_improve.sso.CouncilOIDCBackend",
        ]
        yield stub


def _sign_in_with_entra(client, provider, claims):
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    redirect = urlparse(start["Location"])
    assert redirect.netloc == urlparse(provider.url).netloc
    query = parse_qs(redirect.query)
    assert query["client_id"] == [CLIENT_ID]
    provider.nonce = query["nonce"][0]
    provider.claims = claims
    # The person signs in at Entra, which sends the browser back with a code.
    return client.get("/oidc/callback/", {"code": "stub-code", "state": query["state"][0]})


def test_the_login_page_offers_council_sign_in_when_it_is_switched_on(client, provider):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" in html
    assert "Sign in with a username and password instead" in html


def test_council_sign_in_is_absent_when_it_is_off(client):
    assert "council account" not in client.get("/accounts/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404


def test_a_council_account_signs_in_and_gets_the_roles_its_entra_groups_map_to(client, provider):
    response = _sign_in_with_entra(
        client,
        provider,
        {
            "preferred_username": "Sam.Lee@havering.gov.uk",
            "email": "sam.lee@havering.gov.uk",
            "given_name": "Sam",
            "family_name": "Lee",
            "groups": ["CSC-Improve-Leads", "All-Staff"],
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="sam.lee@havering.gov.uk")
    assert user.get_full_name() == "Sam Lee"
    assert list(user.groups.values_list("name", flat=True)) == [roles.PROJECT_LEAD]
    assert client.get("/").status_code == 200
    assert provider.token_requests[0]["client_secret"] == ["stub-secret"]


def test_roles_follow_entra_groups_at_each_sign_in(client, provider):
    claims = {"preferred_username": "sam.lee@havering.gov.uk", "groups": ["CSC-Improve-Leads"]}
    _sign_in_with_entra(client, provider, claims)
    client.post("/accounts/logout/")
    _sign_in_with_entra(client, provider, {**claims, "groups": ["CSC-Improve-Board"]})
    user = get_user_model().objects.get(username="sam.lee@havering.gov.uk")
    assert list(user.groups.values_list("name", flat=True)) == [roles.BOARD_MEMBER]


def test_a_council_account_in_no_mapped_group_signs_in_but_sees_nothing(client, provider):
    _sign_in_with_entra(
        client, provider, {"preferred_username": "visitor@havering.gov.uk", "groups": ["All-Staff"]}
    )
    response = client.get("/")
    assert response.status_code == 403
    assert "no role in the programme" in response.content.decode()


def test_a_token_signed_by_another_key_is_refused(client, provider):
    from cryptography.hazmat.primitives.asymmetric import rsa

    # Entra still publishes its real key, but the token arrives signed by someone else's.
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = _sign_in_with_entra(
        client,
        provider,
        {"preferred_username": "mallory@havering.gov.uk", "groups": ["CSC-Improve-Leads"]},
    )
    assert response.status_code == 400
    assert "Sign-in could not be completed" in response.content.decode()
    assert not get_user_model().objects.filter(username="mallory@havering.gov.uk").exists()
    assert client.get("/").status_code == 302  # still signed out
