"""What the budget adds to a theme: the "Cost" tab on its page (what the theme has spent
against its allocation), and the cost rating a new highlight report starts from."""

from decimal import Decimal

from havering_improve.templatetags.improve import gbp_whole
from themes.hooks import report_ratings
from themes.tabs import theme_tab

from .selectors import cached_theme_spend, theme_spend


@theme_tab(key="cost", label="Cost", template="budget/theme_cost_tab.html", order=60)
def theme_cost_context(request, theme):
    spend = cached_theme_spend(theme.programme)
    mine = next((s for s in spend if s.theme.pk == theme.pk), None)
    allocation_year = None
    if mine is not None and mine.lines:
        allocation_year = mine.lines[0]["line"].allocation.financial_year
    return {"spend": mine if mine and mine.lines else None, "year": allocation_year}


def _threshold(value) -> str:
    return f"{Decimal(value).normalize():f}%"


def _percent(value: Decimal) -> str:
    return f"{'−' if value < 0 else '+' if value > 0 else ''}{abs(value)}%"


@report_ratings
def theme_cost_rating(theme) -> dict:
    """Cost rated as the budget report rates the theme's share of the forecast: the same
    thresholds, with the figures. Nothing when the theme has no share of a budget."""
    mine = next((s for s in theme_spend(theme.programme) if s.theme.pk == theme.pk), None)
    if mine is None or not mine.lines or not mine.budget:
        return {}
    variance, percent = mine.forecast_variance, mine.forecast_variance_percent
    allocation = f"the theme's allocation of {gbp_whole(mine.budget)}"
    if variance:
        direction = "over" if variance > 0 else "under"
        reason = (
            f"Forecast {gbp_whole(abs(variance))} {direction} {allocation} ({_percent(percent)})"
        )
    else:
        reason = f"Forecast in line with {allocation} ({_percent(percent)})"
    reason += (
        f": forecast outturn {gbp_whole(mine.forecast_outturn)}, spent to date "
        f"{gbp_whole(mine.actual_to_date)}. The budget report rates a forecast variance over "
        f"{_threshold(mine.amber)} amber and over {_threshold(mine.red)} red."
    )
    return {"cost_rag": mine.rag, "cost_reason": reason}
