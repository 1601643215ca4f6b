import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_sends_an_anonymous_visitor_to_sign_in(client, programme):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_login_page_is_gov_uk_styled_with_labelled_fields(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-header"' in html
    assert '<label for="id_username" class="govuk-label">' in html
    assert '<label for="id_password" class="govuk-label">' in html
    assert "govuk-skip-link" in html


def test_signing_in_lands_on_the_programme_home_page(client, lead):
    response = client.post(
        "/accounts/login/", {"username": "lead", "password": "secret-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Children&#x27;s Social Care Improvement Programme" in response.content.decode()


def test_a_wrong_password_shows_an_error_summary(client, lead):
    response = client.post("/accounts/login/", {"username": "lead", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<title>Error: Sign in" in html


def test_signing_out_ends_the_session_and_says_so(client, lead):
    client.force_login(lead)
    response = client.post("/accounts/logout/", follow=True)
    assert "You have signed out." in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_programme_manager_reaches_the_admin_and_a_lead_does_not(
    client, programme_manager, lead
):
    client.force_login(programme_manager)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/themes/theme/").status_code == 200
    client.force_login(lead)
    assert client.get("/admin/").status_code == 302


def test_the_auditor_reads_history_in_the_admin_but_cannot_change_anything(client, auditor, theme):
    auditor.is_staff = True
    auditor.save()
    client.force_login(auditor)
    assert client.get(f"/admin/themes/theme/{theme.pk}/history/").status_code == 200
    response = client.post(f"/admin/themes/theme/{theme.pk}/change/", {"title": "Changed"})
    assert response.status_code == 403
