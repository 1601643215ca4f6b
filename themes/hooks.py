"""What other apps tell a theme's highlight reports, so `themes` depends on none of them.

An app registers these in its `tabs.py` (which the themes app imports at start-up, see
`themes.tabs`):

    from themes.hooks import report_ratings, report_seen

    @report_ratings
    def cost(theme) -> dict:
        # A new report's starting rating and reason for an area the app knows about, as the
        # report's fields ({"cost_rag": "red", "cost_reason": "Forecast £16,000 under…"}),
        # or {} when its data says nothing.
        ...

    @report_seen
    def in_published_packs(report) -> list[dict]:
        # Where the Board saw the report: [{"label": "…", "href": "…"}], or [].
        ...
"""

from collections.abc import Callable

_RATINGS: list[Callable] = []
_SEEN: list[Callable] = []


def report_ratings(fn: Callable) -> Callable:
    """Register `fn(theme) -> dict` as a source of a new report's ratings and reasons."""
    if fn not in _RATINGS:
        _RATINGS.append(fn)
    return fn


def report_seen(fn: Callable) -> Callable:
    """Register `fn(report) -> list[dict]` as a source of where the Board saw a report."""
    if fn not in _SEEN:
        _SEEN.append(fn)
    return fn


def ratings_for(theme) -> dict:
    found: dict = {}
    for fn in _RATINGS:
        found.update(fn(theme))
    return found


def seen_in(report) -> list[dict]:
    return [place for fn in _SEEN for place in fn(report)]
