"""The programme manager says which themes answer a judgement area, on a page of its own: they
choose, check what their choice changes, confirm, and the change is in the area's history with
their name. The readiness view then gathers those themes' evidence under the area."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.actions import inspections
from evaluation.models import JudgementArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(programme):
    return JudgementArea.objects.get(framework="ILACS", slug="leaders")


def _url(area):
    return reverse("evaluation:area_themes", kwargs={"slug": area.slug})


def test_the_programme_manager_chooses_checks_and_confirms_the_themes(
    client, programme_manager, leaders, theme, other_theme
):
    client.force_login(programme_manager)
    page = client.get(_url(leaders))
    assert page.status_code == 200
    assert "Themes that answer it" in page.content.decode()
    check = client.post(_url(leaders), {"themes": [theme.pk, other_theme.pk], "opened_with": ""})
    html = check.content.decode()
    assert check.status_code == 200
    assert "Check the themes that answer" in html
    assert theme.title in html and other_theme.title in html
    assert not leaders.themes.exists()  # nothing saved before the confirmation
    done = client.post(
        _url(leaders),
        {"themes": [theme.pk, other_theme.pk], "opened_with": "", "confirm": "on"},
    )
    assert done.status_code == 302
    again = client.post(  # a second click of the same confirmation
        _url(leaders),
        {"themes": [theme.pk, other_theme.pk], "opened_with": "", "confirm": "on"},
    )
    assert again.status_code == 302
    assert set(leaders.themes.all()) == {theme, other_theme}
    entries = list(leaders.history.order_by("-history_date", "-history_id"))
    assert entries[0].history_user == programme_manager
    assert len([e for e in entries if e.history_user == programme_manager]) == 1
    page = client.get(_url(leaders)).content.decode()
    assert "Programme Manager" in page or programme_manager.username in page
    readiness = client.get(reverse("evaluation:readiness")).content.decode()
    assert "Change the themes that answer" in readiness


def test_a_choice_made_on_a_page_opened_before_someone_elses_is_refused(
    client, programme, programme_manager, leaders, theme, other_theme
):
    inspections.judgement_area_themes_set(
        area=leaders, programme=programme, themes=[other_theme], actor=programme_manager
    )
    client.force_login(programme_manager)
    response = client.post(
        _url(leaders), {"themes": [theme.pk], "opened_with": "", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "after you opened the page" in response.content.decode()
    assert list(leaders.themes.all()) == [other_theme]
    with pytest.raises(ValidationError):
        inspections.judgement_area_themes_set(
            area=leaders,
            programme=programme,
            themes=[theme],
            opened_with=[],
            actor=programme_manager,
        )


@pytest.mark.parametrize("who", ["lead", "auditor", "board_member"])
def test_only_the_programme_manager_changes_them(client, request, who, leaders, theme):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(leaders)).status_code == 403
    posted = client.post(_url(leaders), {"themes": [theme.pk], "opened_with": "", "confirm": "on"})
    assert posted.status_code == 403
    assert not leaders.themes.exists()
    readiness = client.get(reverse("evaluation:readiness")).content.decode()
    assert "Change the themes that answer" not in readiness
