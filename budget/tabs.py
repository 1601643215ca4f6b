"""What the budget adds to a theme: the "Cost" tab on its page (what the theme has spent
against its allocation), and the cost rating a new highlight report starts from."""

from themes.hooks import report_ratings
from themes.tabs import theme_tab

from .selectors import cached_theme_spend, theme_cost_rating


@theme_tab(key="cost", label="Cost", template="budget/theme_cost_tab.html", order=60)
def theme_cost_context(request, theme):
    spend = cached_theme_spend(theme.programme)
    mine = next((s for s in spend if s.theme.pk == theme.pk), None)
    allocation_year = None
    if mine is not None and mine.lines:
        allocation_year = mine.lines[0]["line"].allocation.financial_year
    return {"spend": mine if mine and mine.lines else None, "year": allocation_year}


# A new highlight report's cost rating: the budget's own (`selectors.theme_cost_rating`),
# through the themes app's hook, as themes depends on no app after it.
report_ratings(theme_cost_rating)
