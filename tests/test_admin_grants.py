"""In the admin the programme manager manages people and roles, but cannot hand out superuser,
staff or permissions: only a superuser can."""

import pytest
from django.contrib.auth.models import Group, Permission

from havering_improve import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _change_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    return data


def test_the_programme_manager_cannot_make_anyone_superuser_staff_or_give_permissions(
    client, programme_manager, lead
):
    permission = Permission.objects.get(codename="delete_user")
    client.force_login(programme_manager)
    response = client.post(
        f"/admin/auth/user/{lead.pk}/change/",
        _change_form(lead, is_superuser="on", is_staff="on", user_permissions=[permission.pk]),
    )
    assert response.status_code in (200, 302)
    lead.refresh_from_db()
    assert not lead.is_superuser
    assert not lead.is_staff
    assert not lead.user_permissions.exists()
    client.force_login(programme_manager)
    response = client.post(
        f"/admin/auth/user/{programme_manager.pk}/change/",
        _change_form(programme_manager, is_superuser="on"),
    )
    programme_manager.refresh_from_db()
    assert not programme_manager.is_superuser


def test_the_programme_manager_still_assigns_roles(client, programme_manager, lead):
    auditor_group = Group.objects.get(name=roles.AUDITOR)
    client.force_login(programme_manager)
    groups = [*lead.groups.values_list("pk", flat=True), auditor_group.pk]
    response = client.post(f"/admin/auth/user/{lead.pk}/change/", _change_form(lead, groups=groups))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert lead.groups.filter(name=roles.AUDITOR).exists()


def test_the_programme_manager_cannot_give_a_role_more_permissions(client, programme_manager):
    group = Group.objects.get(name=roles.PROJECT_LEAD)
    permission = Permission.objects.get(codename="delete_user")
    client.force_login(programme_manager)
    client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": [permission.pk]},
    )
    assert not group.permissions.filter(pk=permission.pk).exists()


def test_the_programme_manager_cannot_change_a_superusers_account(client, programme_manager):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(programme_manager)
    response = client.post(
        f"/admin/auth/user/{root.pk}/change/", _change_form(root, username="hijacked")
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.username == "root"
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 403


def test_a_superuser_can_grant_them(client, lead):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.post(f"/admin/auth/user/{lead.pk}/change/", _change_form(lead, is_staff="on"))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.is_staff
