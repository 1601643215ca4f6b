"""Tabs on a theme's page that other apps contribute, so `themes` depends on none of them.

An app declares its tabs in its own `tabs.py`, which the themes app imports at start-up (as the
admin finds each app's `admin.py`). A tab names its key, label and template, and the function
that builds its context:

    from themes.tabs import theme_tab

    @theme_tab(key="cost", label="Cost", template="budget/theme_cost_tab.html", order=60)
    def theme_cost_context(request, theme):
        return {...}

(`register_tab(key=..., label=..., template=..., context=..., order=...)` does the same for a
function defined elsewhere.) The theme page renders each tab after its own, calling `context`
for the data. `context` must run a constant number of queries whatever the theme holds.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class ThemeTab:
    key: str
    label: str
    template: str
    context: Callable
    order: int = 100


_TABS: dict[str, ThemeTab] = {}


def register_tab(*, key: str, label: str, template: str, context: Callable, order: int = 100):
    _TABS[key] = ThemeTab(key=key, label=label, template=template, context=context, order=order)


def theme_tab(*, key: str, label: str, template: str, order: int = 100):
    """Register the decorated function as the context of a tab on the theme page."""

    def register(context: Callable) -> Callable:
        register_tab(key=key, label=label, template=template, context=context, order=order)
        return context

    return register


def registered_tabs() -> list[ThemeTab]:
    return sorted(_TABS.values(), key=lambda tab: (tab.order, tab.key))


def autodiscover() -> None:
    """Import every installed app's `tabs` module, so that each registers its tabs."""
    autodiscover_modules("tabs")
