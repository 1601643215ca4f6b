"""Council sign-in (OpenID Connect with Entra ID) against the stand-in provider in oidc_stub.py."""

import json
import logging
import os
import subprocess
import sys
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from havering_improve import roles, security, sso
from havering_improve.models import CouncilIdentity
from tests.oidc_stub import CLIENT_ID, CLIENT_SECRET, StubProvider

pytestmark = pytest.mark.django_db

PM_GROUP = "0b6e2c4a-8f1d-4e7a-9c3b-5d2f1a0e9b71"
LEADS_GROUP = "6f3a9d12-4c7b-4b8e-a1f0-2e5d7c9b3a48"
BOARD_GROUP = "a4c81e5f-2b9d-4f6a-8e3c-7d1b0f5a2c96"
ROLE_GROUPS = {
    PM_GROUP: roles.PROGRAMME_MANAGER,
    LEADS_GROUP: roles.PROJECT_LEAD,
    BOARD_GROUP: roles.BOARD_MEMBER,
    "Improve.Auditor": roles.AUDITOR,  # an app role's value (the `roles` claim)
}
User = get_user_model()


def council_users():
    return User.objects.filter(username__icontains="@havering.gov.uk")


@pytest.fixture
def provider(settings, programme):
    with StubProvider() as stub:
        stub.switch_on(settings, ROLE_GROUPS)
        yield stub


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="havering_improve.security")

    def events(name=None):
        lines = [
            json.loads(security.JsonLinesFormatter().format(r))
            for r in caplog.records
            if r.name == "havering_improve.security"
        ]
        return [line for line in lines if name is None or line["event"] == name]

    events.text = lambda: (
        caplog.text + "".join(security.JsonLinesFormatter().format(r) for r in caplog.records)
    )
    return events


def person(name="sam.lee", oid=None, groups=(), **extra) -> dict:
    return {
        "oid": oid or str(uuid.uuid4()),
        "preferred_username": f"{name}@havering.gov.uk",
        "email": f"{name}@havering.gov.uk",
        "groups": list(groups),
        **extra,
    }


def start(client, next_url=None) -> str:
    """The browser asks to sign in; the app sends it to the provider. Returns that address."""
    response = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == "/authorize"
    return response["Location"]


def sign_in(client, provider, claims=None, next_url=None):
    if claims is not None:
        provider.claims = claims
    answer = provider.authorize(start(client, next_url))  # the person signs in at the council
    return client.get("/oidc/callback/", answer)


def assert_failure_page(response, *, retry=True):
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sign-in could not be completed" in html
    assert ("Try signing in again" in html) is retry
    assert "reference" in html


# The sign-in itself


def test_the_login_page_offers_council_sign_in_when_it_is_switched_on(client, provider):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" in html
    assert "Sign in with a username and password instead" in html


def test_council_sign_in_is_absent_when_it_is_off(client):
    assert "council account" not in client.get("/accounts/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.post("/oidc/logout/").status_code == 404


def test_a_council_account_signs_in_and_gets_the_roles_its_entra_groups_map_to(
    client, provider, security_log
):
    response = sign_in(
        client,
        provider,
        person(
            "Sam.Lee", given_name="Sam", family_name="Lee", groups=[LEADS_GROUP, str(uuid.uuid4())]
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="sam.lee@havering.gov.uk")
    assert user.get_full_name() == "Sam Lee"
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [roles.PROJECT_LEAD]
    assert client.get("/").status_code == 200
    assert provider.token_requests[0]["client_secret"] == CLIENT_SECRET
    [login] = security_log("login")
    assert (login["user"], login["method"]) == ("sam.lee@havering.gov.uk", "council")


def test_roles_follow_entra_groups_at_each_sign_in(client, provider):
    claims = person(groups=[LEADS_GROUP])
    sign_in(client, provider, claims)
    client.post("/accounts/logout/")
    sign_in(client, provider, {**claims, "groups": [BOARD_GROUP]})
    user = User.objects.get(username="sam.lee@havering.gov.uk")
    assert list(user.groups.values_list("name", flat=True)) == [roles.BOARD_MEMBER]


def test_a_group_name_never_gives_a_role_but_a_group_id_or_app_role_does(
    client, provider, settings
):
    # Anyone able to make a group could call it this; only its object id is the council's.
    settings.OIDC_ROLE_GROUPS = {**ROLE_GROUPS, "CSC-Improve-PM": roles.PROGRAMME_MANAGER}
    sign_in(client, provider, person("mallory", groups=["CSC-Improve-PM"]))
    assert not User.objects.get(username="mallory@havering.gov.uk").groups.exists()
    client.post("/accounts/logout/")
    sign_in(client, provider, person("ana", roles=["Improve.Auditor"]))
    ana = User.objects.get(username="ana@havering.gov.uk")
    assert list(ana.groups.values_list("name", flat=True)) == [roles.AUDITOR]


def test_a_council_account_in_no_mapped_group_signs_in_but_sees_nothing(client, provider):
    sign_in(client, provider, person("visitor", groups=[str(uuid.uuid4())]))
    response = client.get("/")
    assert response.status_code == 403
    assert "no role in the programme" in response.content.decode()


def test_next_goes_only_to_this_service(client, provider):
    response = sign_in(client, provider, person(groups=[LEADS_GROUP]), next_url="/budget/")
    assert response["Location"] == "/budget/"
    client.post("/accounts/logout/")
    response = sign_in(client, provider, next_url="https://evil.example/phish")
    assert response["Location"] == "/"


# Every failure at the provider ends on the service's own page and in the security log


def test_a_token_signed_by_another_key_is_refused(client, provider, security_log):
    # The provider still publishes its real key, but the token arrives signed by someone else's.
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sign_in(client, provider, person("mallory", groups=[LEADS_GROUP]))
    assert_failure_page(response)
    assert not User.objects.filter(username="mallory@havering.gov.uk").exists()
    assert client.get("/").status_code == 302  # still signed out
    assert security_log("login_failed")[0]["reason"] == "token_invalid"


@pytest.mark.parametrize(
    "break_it, reason, provider_error",
    [
        (lambda p: setattr(p, "refuse_codes", True), "token_refused", "invalid_grant"),
        (lambda p: setattr(p, "secret_expired", True), "token_refused", "invalid_client"),
        (lambda p: p.failing.add("token"), "provider_unavailable", None),
        (lambda p: p.failing.add("userinfo"), "userinfo_unavailable", None),
        (lambda p: p.failing.add("keys"), "keys_unavailable", None),
    ],
    ids=["code-refused", "secret-expired", "token-endpoint-down", "userinfo-down", "keys-down"],
)
def test_a_failure_at_the_provider_ends_on_the_failure_page_and_in_the_log(
    client, provider, security_log, break_it, reason, provider_error
):
    break_it(provider)
    response = sign_in(client, provider, person(groups=[LEADS_GROUP]), next_url="/budget/")
    assert_failure_page(response)
    assert 'href="/oidc/authenticate/?next=%2Fbudget%2F"' in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    [failure] = security_log("login_failed")
    assert failure["method"] == "council"
    assert failure["reason"] == reason
    assert failure.get("provider_error") == provider_error
    assert failure["reference"] in response.content.decode()
    # …and nothing that would let someone else sign in: no secret, code or token.
    logged = security_log.text()
    assert CLIENT_SECRET not in logged
    assert provider.token_requests[-1]["code"] not in logged
    assert "AADSTS" not in logged
    # Trying again works once the provider is well.
    provider.refuse_codes, provider.secret_expired, provider.failing = False, False, set()
    assert sign_in(client, provider, next_url="/budget/")["Location"] == "/budget/"


def test_a_code_used_twice_is_refused_by_the_provider_and_the_page_says_so(
    client, provider, security_log
):
    provider.claims = person(groups=[LEADS_GROUP])
    first, second = start(client), start(client)  # two tabs
    answer = provider.authorize(first)
    assert client.get("/oidc/callback/", answer).status_code == 302
    replay = {"code": answer["code"], "state": parse_qs(urlparse(second).query)["state"][0]}
    assert_failure_page(client.get("/oidc/callback/", replay))
    assert security_log("login_failed")[0]["provider_error"] == "invalid_grant"


def test_a_refusal_sent_back_by_the_provider_is_shown_and_logged(client, provider, security_log):
    state = parse_qs(urlparse(start(client)).query)["state"][0]
    response = client.get(
        "/oidc/callback/",
        {"error": "access_denied", "error_description": "The user cancelled.", "state": state},
    )
    assert_failure_page(response)
    [failure] = security_log("login_failed")
    assert (failure["reason"], failure["provider_error"]) == (
        "refused_at_provider",
        "access_denied",
    )


def test_an_answer_for_another_sign_in_or_none_at_all_is_refused(client, provider, security_log):
    provider.claims = person(groups=[LEADS_GROUP])
    assert_failure_page(client.get("/oidc/callback/", {"code": "x", "state": "y"}))
    answer = provider.authorize(start(client))
    assert_failure_page(client.get("/oidc/callback/", {**answer, "state": "forged"}))
    assert [e["reason"] for e in security_log("login_failed")] == [
        "no_sign_in_started",
        "state_unknown",
    ]
    assert client.get("/").status_code == 302


# The tenant and the issuer


def test_another_tenants_token_is_refused(client, provider, security_log):
    other_tenant = str(uuid.uuid4())
    provider.token_claims = {"tid": other_tenant}
    response = sign_in(client, provider, person("mallory", groups=[PM_GROUP]))
    assert_failure_page(response, retry=False)
    assert "only London Borough of Havering council accounts" in response.content.decode()
    assert not User.objects.filter(username="mallory@havering.gov.uk").exists()
    [failure] = security_log("login_failed")
    assert (failure["reason"], failure["tenant_seen"]) == ("wrong_tenant", other_tenant)


def test_a_token_from_another_issuer_or_for_another_app_is_refused(client, provider, security_log):
    provider.issuer = "https://login.microsoftonline.com/another-tenant/v2.0"
    assert_failure_page(sign_in(client, provider, person(groups=[PM_GROUP])))
    provider.issuer, provider.token_claims = provider.url, {"aud": "some-other-app"}
    assert_failure_page(sign_in(client, provider))
    assert [e["reason"] for e in security_log("login_failed")] == [
        "wrong_issuer",
        "wrong_audience",
    ]
    assert not council_users().exists()


def test_with_no_tenant_set_every_council_sign_in_is_refused(client, provider, settings):
    settings.OIDC_ENTRA_TENANT_ID = ""
    assert_failure_page(sign_in(client, provider, person(groups=[PM_GROUP])), retry=False)
    assert not council_users().exists()


def test_the_system_check_wants_a_tenant_id_and_real_roles(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_SECRET = "x"
    settings.OIDC_ROLE_GROUPS = {PM_GROUP: "Programme boss"}
    for tenant in ("", "organizations", "havering.gov.uk"):
        settings.OIDC_ENTRA_TENANT_ID = tenant
        ids = [error.id for error in sso.check_council_sign_in()]
        assert ids == ["havering_improve.E101", "havering_improve.E103"]
    settings.OIDC_ENTRA_TENANT_ID = str(uuid.uuid4())
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    assert sso.check_council_sign_in() == []


def _settings_in_production(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    environ.update(
        DJANGO_SETTINGS_MODULE="havering_improve.settings.base",
        DEBUG="false",
        SECRET_KEY="x8#k2!vQ9zL@m4pR7wT1yB6nC3dF5gH0jK8lM2nP4qS6tV9wX1zA3bE5cG7",
        ALLOWED_HOSTS="improve.havering.example",
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET="s",
        **env,
    )
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OIDC_OP_ISSUER, s.OIDC_OP_TOKEN_ENDPOINT, s.OIDC_OP_LOGOUT_ENDPOINT, "
        "','.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_in_production_council_sign_in_will_not_start_without_a_tenant():
    result = _settings_in_production()
    assert result.returncode != 0
    assert "OIDC_ENTRA_TENANT_ID must be set" in result.stderr


def test_the_issuer_and_endpoints_follow_the_tenant_and_can_be_overridden():
    tenant = str(uuid.uuid4())
    entra = f"https://login.microsoftonline.com/{tenant}"
    result = _settings_in_production(OIDC_ENTRA_TENANT_ID=tenant)
    assert result.stdout.split() == [
        f"{entra}/v2.0",
        f"{entra}/oauth2/v2.0/token",
        f"{entra}/oauth2/v2.0/logout",
        # The sign-out form may go on to the end-session endpoint, and nowhere else.
        "'self',https://login.microsoftonline.com",
    ]
    result = _settings_in_production(
        OIDC_ENTRA_TENANT_ID=tenant,
        OIDC_OP_ISSUER="https://idp.example/realms/havering",
        OIDC_OP_LOGOUT_ENDPOINT="",
    )
    assert result.stdout.split() == [
        "https://idp.example/realms/havering",
        f"{entra}/oauth2/v2.0/token",
        "'self'",
    ]


# A stable identity


def test_a_renamed_person_keeps_their_account_under_the_new_name(client, provider):
    sam = person("sam.lee", groups=[LEADS_GROUP])
    sign_in(client, provider, sam)
    account = User.objects.get(username="sam.lee@havering.gov.uk")
    client.post("/accounts/logout/")
    provider.rename("sam.okafor@havering.gov.uk")
    sign_in(client, provider)
    account.refresh_from_db()
    assert council_users().count() == 1
    assert account.username == "sam.okafor@havering.gov.uk"
    assert account.council_identity.subject == sam["oid"]
    assert account.council_identity.username == "sam.okafor@havering.gov.uk"


def test_a_reused_user_name_never_opens_the_previous_holders_account(client, provider):
    sign_in(client, provider, person("sam.lee", groups=[PM_GROUP]))
    first = User.objects.get(username="sam.lee@havering.gov.uk")
    client.post("/accounts/logout/")
    # Sam has left; the council gives the name to a new starter, a different account.
    sign_in(client, provider, person("sam.lee", groups=[BOARD_GROUP]))
    newcomer = council_users().exclude(pk=first.pk).get()
    assert newcomer.username.startswith("sam.lee@havering.gov.uk~")
    assert list(newcomer.groups.values_list("name", flat=True)) == [roles.BOARD_MEMBER]
    assert list(first.groups.values_list("name", flat=True)) == [roles.PROGRAMME_MANAGER]
    assert client.get("/").wsgi_request.user == newcomer


def test_an_existing_account_without_a_password_is_linked_on_first_council_sign_in(
    client, provider, security_log
):
    existing = User.objects.create_user("sam.lee@havering.gov.uk")  # made before council sign-in
    sam = person("Sam.Lee", groups=[LEADS_GROUP])
    sign_in(client, provider, sam)
    assert council_users().get() == existing
    assert existing.council_identity.subject == sam["oid"]
    assert [e["user"] for e in security_log("council_account_linked")] == [existing.username]


def test_a_break_glass_account_with_a_password_is_never_linked(client, provider, security_log):
    admin = User.objects.create_user("sam.lee@havering.gov.uk", password="break-glass-123")
    sign_in(client, provider, person("sam.lee", groups=[PM_GROUP]))
    signed_in = client.get("/").wsgi_request.user
    assert signed_in != admin
    assert not CouncilIdentity.objects.filter(user=admin).exists()
    assert [e["user"] for e in security_log("council_account_made")] == [signed_in.username]


def test_a_provider_without_object_ids_is_matched_on_subject_and_tenant(client, provider):
    claims = {k: v for k, v in person("sam.lee").items() if k != "oid"}
    sign_in(client, provider, {**claims, "sub": "pairwise-subject-1"})
    identity = CouncilIdentity.objects.get()
    assert (identity.subject_claim, identity.subject) == ("sub", "pairwise-subject-1")
    assert identity.tenant_id == provider.tenant_id


def test_a_switched_off_account_is_refused_with_no_retry(client, provider, security_log):
    sam = person("sam.lee", groups=[LEADS_GROUP])
    sign_in(client, provider, sam)
    client.post("/accounts/logout/")
    User.objects.filter(username="sam.lee@havering.gov.uk").update(is_active=False)
    response = sign_in(client, provider, sam)
    assert_failure_page(response, retry=False)
    assert "switched off" in response.content.decode()
    assert security_log("login_failed")[0]["reason"] == "account_disabled"


# PKCE


def test_the_authorisation_request_carries_a_pkce_s256_challenge(client, provider):
    provider.require_pkce = True
    query = parse_qs(urlparse(start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert sign_in(client, provider, person(groups=[LEADS_GROUP])).status_code == 302
    assert "code_verifier" in provider.token_requests[-1]


def test_a_code_taken_to_another_browser_is_refused_without_its_verifier(
    client, provider, security_log, django_user_model
):
    from django.test import Client

    provider.claims = person("victim", groups=[PM_GROUP])
    victims_code = provider.authorize(start(client))["code"]
    attacker = Client()
    attackers_state = parse_qs(urlparse(start(attacker)).query)["state"][0]
    response = attacker.get("/oidc/callback/", {"code": victims_code, "state": attackers_state})
    assert_failure_page(response)
    assert attacker.get("/").status_code == 302
    assert security_log("login_failed")[0]["provider_error"] == "invalid_grant"


# Nothing kept by the browser, and signing out


def test_signed_in_pages_are_never_stored_by_the_browser(client, provider):
    response = sign_in(client, provider, person(groups=[LEADS_GROUP]))
    assert "no-store" in response["Cache-Control"]
    from budget.models import BudgetAllocation

    year = BudgetAllocation.objects.first().financial_year.slug
    for path in ("/", "/themes/", reverse("budget:report_csv", kwargs={"year": year}), "/nowhere"):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, path
    # The answer that signs the person out is not kept either.
    assert "no-store" in client.post("/accounts/logout/")["Cache-Control"]


def test_sign_out_offers_to_end_the_council_session_too(client, provider):
    sign_in(client, provider, person(groups=[LEADS_GROUP]))
    response = client.post("/accounts/logout/", follow=True)
    html = response.content.decode()
    assert "You have signed out." in html
    assert "Sign out of your council account too" in html
    assert client.get("/").status_code == 302

    to_provider = client.post("/oidc/logout/")
    where = urlparse(to_provider["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{provider.url}/logout"
    params = parse_qs(where.query)
    assert params["client_id"] == [CLIENT_ID]
    assert params["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert params["id_token_hint"]
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    assert back.headers["Location"] == "http://testserver/accounts/login/"
    assert len(provider.end_session_requests) == 1
    # The offer is spent.
    assert "council account too" not in client.get("/accounts/login/").content.decode()


def test_no_council_sign_out_offer_after_a_password_sign_in_or_without_an_endpoint(
    client, provider, settings, lead
):
    client.post("/accounts/login/", {"username": "lead", "password": "secret-pass-123"})
    html = client.post("/accounts/logout/", follow=True).content.decode()
    assert "You have signed out." in html and "council account too" not in html
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    sign_in(client, provider, person(groups=[LEADS_GROUP]))
    assert (
        "council account too" not in client.post("/accounts/logout/", follow=True).content.decode()
    )


def test_a_council_session_that_times_out_still_offers_the_council_sign_out(client, provider):
    sign_in(client, provider, person(groups=[LEADS_GROUP]))
    session = client.session
    session["last_seen"] -= django_settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    response = client.get("/themes/", follow=True)
    html = response.content.decode()
    assert "You were signed out because you had not done anything for a while" in html
    assert "Sign out of your council account too" in html


def test_an_unforeseen_error_during_sign_in_still_ends_on_the_failure_page(
    client, provider, security_log, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sso.CouncilOIDCBackend, "update_user", broken)
    assert_failure_page(sign_in(client, provider, person(groups=[LEADS_GROUP])))
    assert security_log("login_failed")[0]["reason"] == "unexpected_error"
    assert client.get("/").status_code == 302
