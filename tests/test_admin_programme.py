"""The programme in the admin: read, with its history, but never added, changed or deleted
there (its settings come from its data file, `load_programme`). Its permissions and the rows
that point at it came with it from the themes app."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from portfolio import loader

pytestmark = pytest.mark.django_db


def test_the_programme_manager_reads_the_programme_and_its_history(
    client, programme, programme_manager
):
    client.force_login(programme_manager)
    page = client.get(reverse("admin:programme_programme_change", args=[programme.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(programme.name) in html
    assert 'name="_save"' not in html  # nothing to save: the page only shows the programme
    history = client.get(reverse("admin:programme_programme_history", args=[programme.pk]))
    assert history.status_code == 200
    assert "Created" in history.content.decode()


@pytest.mark.parametrize("who", ["programme_manager", "admin_user"])
def test_nobody_adds_changes_or_deletes_the_programme_in_the_admin(
    client, programme, programme_manager, admin_user, who
):
    client.force_login(programme_manager if who == "programme_manager" else admin_user)
    name = programme.name
    change = reverse("admin:programme_programme_change", args=[programme.pk])
    posted = client.post(change, {"name": "Renamed", "slug": programme.slug})
    assert posted.status_code == 403
    assert client.get(reverse("admin:programme_programme_add")).status_code == 403
    delete = reverse("admin:programme_programme_delete", args=[programme.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    programme.refresh_from_db()
    assert programme.name == name


def test_the_roles_keep_their_permissions_on_the_programme(programme, programme_manager):
    """The programme manager and the auditor read the programme in the admin, as before."""
    held = set(
        Permission.objects.filter(
            group__name="Auditor", content_type__app_label="programme"
        ).values_list("codename", flat=True)
    )
    assert {"view_programme", "view_historicalprogramme"} <= held
    assert programme_manager.has_perm("programme.view_programme")


def test_the_programme_reloads_onto_the_same_row_with_its_themes(programme):
    again, result = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    assert again.pk == programme.pk and not result.changed
    assert again.themes.count() == 7
    assert again._meta.db_table == "themes_programme"
