"""Tabs on a theme's page that other apps contribute, so `themes` depends on none of them.

An app registers its tab in its AppConfig.ready():

    from themes.tabs import register_tab
    register_tab(key="cost", label="Cost", template="budget/theme_cost_tab.html",
                 context=lambda request, theme: {...}, order=60)

The theme page renders each registered tab after its own, calling `context` for the data.
`context` must run a constant number of queries whatever the theme holds.
"""

from collections.abc import Callable
from dataclasses import dataclass


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


def registered_tabs() -> list[ThemeTab]:
    return sorted(_TABS.values(), key=lambda tab: (tab.order, tab.key))
