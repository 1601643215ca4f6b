"""Only a superuser sets another person's password in the admin. Everyone else who manages
people sends a password reset e-mail, so that the person sets their own: a programme manager
can no longer set the auditor's (or another manager's, or a lead's) password and then act as
them in the history."""

import re

import pytest
from django.core import mail

from havering_improve import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = {"password1": "Somebody-elses-pass-2026", "password2": "Somebody-elses-pass-2026"}


@pytest.fixture
def other_manager(programme):
    return UserFactory(username="pm.two", roles=[roles.PROGRAMME_MANAGER])


@pytest.mark.parametrize("whose", ["auditor", "other_manager", "lead"])
def test_the_programme_manager_cannot_set_another_persons_password(
    request, client, programme_manager, whose
):
    person = request.getfixturevalue(whose)
    client.force_login(programme_manager)
    url = f"/admin/auth/user/{person.pk}/password/"
    assert client.get(url).status_code == 403
    assert client.post(url, {**NEW, "usable_password": "true"}).status_code == 403
    person.refresh_from_db()
    assert person.check_password("secret-pass-123")
    assert not person.check_password(NEW["password1"])


def test_their_change_page_offers_a_reset_e_mail_not_a_password_link(
    client, programme_manager, auditor
):
    client.force_login(programme_manager)
    html = client.get(f"/admin/auth/user/{auditor.pk}/change/").content.decode()
    assert "../password/" not in html
    assert f"/admin/auth/user/{auditor.pk}/password/" not in html
    assert "Only a superuser can set another person’s password" in html
    assert "Send a password reset e-mail" in html


def test_the_programme_manager_cannot_point_someones_reset_e_mail_at_themselves(
    client, programme_manager, auditor
):
    client.force_login(programme_manager)
    data = {
        "username": auditor.username,
        "first_name": auditor.first_name,
        "last_name": auditor.last_name,
        "email": "pm@havering.example",
        "is_active": "on",
        "date_joined_0": auditor.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": auditor.date_joined.strftime("%H:%M:%S"),
        "groups": [g.pk for g in auditor.groups.all()],
    }
    client.post(f"/admin/auth/user/{auditor.pk}/change/", data)
    auditor.refresh_from_db()
    assert auditor.email == "auditor@havering.example"


def test_the_programme_manager_still_sets_their_own(client, programme_manager):
    client.force_login(programme_manager)
    url = f"/admin/auth/user/{programme_manager.pk}/password/"
    assert client.get(url).status_code == 200
    assert client.post(url, {**NEW, "usable_password": "true"}).status_code == 302
    programme_manager.refresh_from_db()
    assert programme_manager.check_password(NEW["password1"])


def test_a_superuser_sets_anyones(client, auditor):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    html = client.get(f"/admin/auth/user/{auditor.pk}/change/").content.decode()
    assert "../password/" in html
    url = f"/admin/auth/user/{auditor.pk}/password/"
    assert client.post(url, {**NEW, "usable_password": "true"}).status_code == 302
    auditor.refresh_from_db()
    assert auditor.check_password(NEW["password1"])


def _send_reset(client, *people):
    return client.post(
        "/admin/auth/user/",
        {"action": "send_password_reset", "_selected_action": [p.pk for p in people]},
        follow=True,
    )


def test_the_programme_manager_sends_a_reset_e_mail_and_the_person_sets_their_own(
    client, programme_manager, auditor
):
    client.force_login(programme_manager)
    response = _send_reset(client, auditor)
    assert "Password reset e-mail sent to" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [auditor.email]
    assert "Set a new password" in message.subject
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)

    client.logout()
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW["password1"], "new_password2": NEW["password1"]},
        follow=True,
    )
    assert "Your password has been set" in done.content.decode()
    auditor.refresh_from_db()
    assert auditor.check_password(NEW["password1"])
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link has expired" in again.content.decode()


def test_no_reset_e_mail_for_a_superuser_or_someone_without_an_address(
    client, programme_manager, lead
):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    lead.email = ""
    lead.save()
    client.force_login(programme_manager)
    html = _send_reset(client, root, lead).content.decode()
    assert "Not sent to" in html
    assert mail.outbox == []
