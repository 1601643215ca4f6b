from django.apps import AppConfig


def _theme_cost_context(request, theme):
    from .selectors import cached_theme_spend

    spend = cached_theme_spend(theme.programme)
    mine = next((s for s in spend if s.theme.pk == theme.pk), None)
    allocation_year = None
    if mine is not None and mine.lines:
        allocation_year = mine.lines[0]["line"].allocation.financial_year
    return {"spend": mine if mine and mine.lines else None, "year": allocation_year}


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = "Budget"

    def ready(self):
        from themes.tabs import register_tab

        register_tab(
            key="cost",
            label="Cost",
            template="budget/theme_cost_tab.html",
            context=_theme_cost_context,
            order=60,
        )
