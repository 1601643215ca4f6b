"""What the apps after the board tell its pages, so `board` depends on none of them.

The reporting app registers, in its `tabs.py` (imported by every app at start-up, see
`themes.tabs`), what a meeting's current pack no longer shows:

    from board.hooks import pack_changes

    @pack_changes
    def changed_since_built(pack) -> list:
        ...
"""

from collections.abc import Callable

_PACK_CHANGES: list[Callable] = []


def pack_changes(fn: Callable) -> Callable:
    """Register `fn(pack) -> list` as a source of what changed since a pack was built."""
    if fn not in _PACK_CHANGES:
        _PACK_CHANGES.append(fn)
    return fn


def changes_since_built(pack) -> list:
    return [change for fn in _PACK_CHANGES for change in fn(pack)]
