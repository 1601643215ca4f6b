"""A theme's cost rating has one source, the budget's `theme_cost_rating`; the themes app reads
it only through its report-ratings hook (themes depends on no app after it)."""

import pytest

from budget import selectors
from themes import hooks

pytestmark = pytest.mark.django_db


def test_the_hook_gives_the_budget_s_own_rating(imported_sample):
    programme = imported_sample.allocation.programme
    spend = {s.theme.pk: s for s in selectors.theme_spend(programme)}
    rated = [theme for theme in programme.themes.all() if spend[theme.pk].lines]
    assert rated
    for theme in rated:
        rating = selectors.theme_cost_rating(theme)
        assert rating["cost_rag"] == spend[theme.pk].rag
        assert rating["cost_reason"].startswith("Forecast ")
        assert (
            "The budget report rates a forecast variance over 2% amber and over 5% red."
            in (rating["cost_reason"])
        )
        assert {k: hooks.ratings_for(theme)[k] for k in rating} == rating
