"""The "Cost" tab on a theme's page: what the theme has spent against its allocation."""

from themes.tabs import theme_tab

from .selectors import cached_theme_spend


@theme_tab(key="cost", label="Cost", template="budget/theme_cost_tab.html", order=60)
def theme_cost_context(request, theme):
    spend = cached_theme_spend(theme.programme)
    mine = next((s for s in spend if s.theme.pk == theme.pk), None)
    allocation_year = None
    if mine is not None and mine.lines:
        allocation_year = mine.lines[0]["line"].allocation.financial_year
    return {"spend": mine if mine and mine.lines else None, "year": allocation_year}
