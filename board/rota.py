"""The board's rota: which themes are in focus at each meeting. A pure function, no database.

Hard rules (a rota that breaks one is never returned; `RotaImpossible` says why instead):
- each meeting has exactly `per_meeting` focus themes;
- every theme is in focus equally often over the meetings planned (counts differ by at most one);
- no theme is in focus at two meetings in a row (including the meeting held just before);
- a theme pinned to a meeting is in focus there; a theme kept off a meeting is not.

Soft rules (followed wherever the hard rules leave room): a meeting keeps the focus it has now
(`current`), so planning again with nothing changed changes nothing, even once a meeting has been
held and left the plan; and the same group of themes does not meet again before every other
group has had its turn. Candidates are tried the current group first, then least-used first.

The search is a depth-first search, meeting by meeting, with bounds that cut off any branch that
can no longer reach a balanced rota, so in practice it rarely backtracks.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from itertools import combinations


class RotaImpossible(ValueError):
    """The calendar, the number of themes and the pins leave no rota that keeps the rules."""


def _max_spread(allowed: list[bool], start: int) -> int:
    """Most meetings from `start` on that one theme can take with none back to back.
    Taking the earliest allowed meeting each time is optimal on a line."""
    taken, j = 0, start
    while j < len(allowed):
        if allowed[j]:
            taken += 1
            j += 2
        else:
            j += 1
    return taken


def rota_build(
    *,
    themes: Sequence[Hashable],
    meetings: int,
    per_meeting: int,
    pinned: Mapping[int, Collection[Hashable]] | None = None,
    kept_off: Mapping[int, Collection[Hashable]] | None = None,
    previous: Collection[Hashable] = (),
    earlier_groups: Iterable[Collection[Hashable]] = (),
    current: Mapping[int, Collection[Hashable]] | None = None,
    max_steps: int = 200_000,
) -> list[tuple[Hashable, ...]]:
    """Focus themes for `meetings` meetings in date order, each a tuple in `themes` order.

    `pinned`/`kept_off` map a meeting's index to themes; `previous` is the focus of the meeting
    held just before the first one planned; `earlier_groups` are groups already used at past
    meetings, so the soft rule carries on across re-plans; `current` maps a meeting's index to
    the focus it has now, kept wherever the hard rules allow.
    """
    pinned = {i: set(v) for i, v in (pinned or {}).items() if v}
    kept_off = {i: set(v) for i, v in (kept_off or {}).items() if v}
    themes = list(dict.fromkeys(themes))
    n, m, k = len(themes), meetings, per_meeting
    if m == 0:
        return []
    if k < 1:
        raise RotaImpossible("Each meeting needs at least one focus theme.")
    if n < 2 * k:
        raise RotaImpossible(
            f"With {k} focus themes a meeting and none in focus twice in a row, the rota needs "
            f"at least {2 * k} themes; there are {n}."
        )
    index = {t: i for i, t in enumerate(themes)}
    for where, label in ((pinned, "pinned to"), (kept_off, "kept off")):
        for i, chosen in where.items():
            if not 0 <= i < m:
                raise RotaImpossible(f"A theme is {label} meeting {i + 1}, which is not planned.")
            unknown = [t for t in chosen if t not in index]
            if unknown:
                raise RotaImpossible(f"{unknown[0]!r} is {label} a meeting but is not a theme.")
    for i, chosen in pinned.items():
        if len(chosen) > k:
            raise RotaImpossible(
                f"Meeting {i + 1} has {len(chosen)} themes pinned but only {k} focus places."
            )
        clash = chosen & kept_off.get(i, set())
        if clash:
            raise RotaImpossible(f"Meeting {i + 1} has a theme both pinned and kept off.")
    for i in range(m - 1):
        both = pinned.get(i, set()) & pinned.get(i + 1, set())
        if both:
            raise RotaImpossible(
                f"A theme is pinned to meetings {i + 1} and {i + 2}, which are back to back."
            )
    if pinned.get(0, set()) & set(previous):
        raise RotaImpossible("A theme is pinned to the first meeting but was in focus just before.")

    # Work with theme positions 0..n-1 from here on.
    pins = [frozenset(index[t] for t in pinned.get(i, ())) for i in range(m)]
    offs = [frozenset(index[t] for t in kept_off.get(i, ())) for i in range(m)]
    prev = frozenset(index[t] for t in previous if t in index)
    allowed = [[t not in offs[i] for i in range(m)] for t in range(n)]
    pins_after = [[0] * (m + 1) for _ in range(n)]  # pins for theme t at meetings >= i
    for t in range(n):
        for i in range(m - 1, -1, -1):
            pins_after[t][i] = pins_after[t][i + 1] + (t in pins[i])
    # spread[t][i]: most further meetings theme t can take from meeting i on.
    spread = [[_max_spread(allowed[t], i) for i in range(m + 2)] for t in range(n)]

    q, r = divmod(m * k, n)  # every theme q or q + 1 times; exactly r themes q + 1 times
    group_uses: dict[frozenset, int] = {}
    for group in earlier_groups:
        key = frozenset(index[t] for t in group if t in index)
        if len(key) == k:
            group_uses[key] = group_uses.get(key, 0) + 1

    now = {
        i: frozenset(index[t] for t in chosen if t in index)
        for i, chosen in (current or {}).items()
    }
    all_groups = [frozenset(c) for c in combinations(range(n), k)]
    counts = [0] * n
    plan: list[frozenset] = []
    steps = 0

    def counts_after(chosen: frozenset) -> list[int]:
        return [counts[t] + (t in chosen) for t in range(n)]

    def feasible(i: int, chosen: frozenset) -> bool:
        """After choosing `chosen` for meeting i, can meetings i+1.. still balance?"""
        remaining = (m - i - 1) * k
        at_top = capacity = need = can_rise = 0
        for t in range(n):
            c = counts[t] + (t in chosen)
            forced = pins_after[t][i + 1]
            most = spread[t][i + 2] if t in chosen else spread[t][i + 1]
            if c + forced > q + 1 or c + most < q:
                return False
            at_top += c + forced == q + 1
            if c <= q:
                capacity += min(c + most, q) - c
                can_rise += c + most >= q + 1
            need += max(q, c + forced) - c
        capacity += max(0, min(r - sum(x == q + 1 for x in counts_after(chosen)), can_rise))
        return at_top <= r and need <= remaining <= capacity

    def candidates(i: int) -> list[frozenset]:
        banned = (plan[-1] if plan else prev) | offs[i]
        options = [g for g in all_groups if pins[i] <= g and not g & banned]
        options = [g for g in options if feasible(i, g)]
        # The meeting's current group first; then least-used group; then themes furthest
        # behind; then theme order (stable).
        keep = now.get(i)
        options.sort(
            key=lambda g: (g != keep, group_uses.get(g, 0), sum(counts[t] for t in g), sorted(g))
        )
        return options

    def search(i: int) -> bool:
        nonlocal steps
        if i == m:
            return True
        for group in candidates(i):
            steps += 1
            if steps > max_steps:
                raise RotaImpossible("No rota found in reasonable time; try fewer pins.")
            plan.append(group)
            for t in group:
                counts[t] += 1
            group_uses[group] = group_uses.get(group, 0) + 1
            if search(i + 1):
                return True
            group_uses[group] -= 1
            for t in group:
                counts[t] -= 1
            plan.pop()
        return False

    if not search(0):
        raise RotaImpossible(
            "No rota keeps every theme in focus equally often with these pins and no theme "
            "twice in a row. Remove a pin or change the calendar."
        )
    return [tuple(themes[t] for t in sorted(group)) for group in plan]
