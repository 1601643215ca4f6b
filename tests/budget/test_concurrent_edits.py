"""Two people at one budget form: the second save is refused with what the first changed, and
the first's change is kept (before, the second silently overwrote it)."""

from decimal import Decimal

import pytest

from budget.selectors import allocation_settings
from tests.form_page import assert_refused, opened, race, second_user, signed_in

pytestmark = pytest.mark.django_db

SETTINGS = "/budget/2019-20/settings/"


@pytest.mark.parametrize("saved_before", [False, True], ids=["first-settings", "settings-saved"])
def test_two_finance_officers_on_the_settings_keep_the_first_ones_amber_threshold(
    request, allocation, finance_officer, saved_before
):
    if saved_before:  # the settings exist (cost centres set), or are still the defaults
        request.getfixturevalue("set_up")
    other = second_user(finance_officer, "finance.two")
    response = race(
        SETTINGS, finance_officer, other, {"amber_percent": "3.00"}, {"red_percent": "8.00"}
    )
    assert_refused(response, "Amber when forecast variance is over", "3.00")
    settings = allocation_settings(allocation)
    settings.refresh_from_db()
    assert settings.amber_percent == Decimal("3.00")
    assert settings.red_percent == Decimal("5.00")


def test_after_the_refusal_the_second_officer_can_save_deliberately(allocation, finance_officer):
    other = second_user(finance_officer, "finance.two")
    refused = race(
        SETTINGS, finance_officer, other, {"amber_percent": "3.00"}, {"red_percent": "8.00"}
    )
    assert_refused(refused)
    # The page sent back carries the latest version, so saving it again is a deliberate save.
    client = signed_in(other)
    form = opened(client, SETTINGS)
    assert client.post(SETTINGS, {**form, "red_percent": "8.00"}).status_code == 302
    settings = allocation_settings(allocation)
    assert (settings.amber_percent, settings.red_percent) == (Decimal("3.00"), Decimal("8.00"))


def test_two_programme_managers_on_a_lines_theme_weights_keep_the_first_ones(
    lines, programme_manager
):
    line = lines["family-therapists"]
    themes = {t.slug: t for t in line.themes.all()}
    url = f"/budget/2019-20/lines/{line.code}/themes/"
    other = second_user(programme_manager, "pm.two")
    response = race(
        url,
        programme_manager,
        other,
        {f"theme_{themes['supervision'].pk}": "3"},
        {f"theme_{themes['pathway-planning'].pk}": "2"},
    )
    assert_refused(response, f"Weight: {themes['supervision'].title}")
    weights = {w.theme.slug: w.weight for w in line.theme_weights.select_related("theme")}
    assert weights["supervision"] == Decimal("3")
    assert weights["pathway-planning"] == Decimal("1")
