"""The planner keeps each meeting's current focus wherever the hard rules allow, so planning
again after a meeting has been held changes nothing that it need not."""

from collections import Counter

from board.rota import rota_build

THEMES = list("ABCDEFG")


def _balanced(groups) -> bool:
    counts = Counter(t for group in groups for t in group)
    return max(counts[t] for t in THEMES) - min(counts[t] for t in THEMES) <= 1


def test_re_planning_the_meetings_left_after_some_are_held_keeps_what_it_can():
    year = rota_build(themes=THEMES, meetings=12, per_meeting=2)
    kept_whole = 0
    for held in range(1, 10):
        plan = dict(
            themes=THEMES,
            meetings=12 - held,
            per_meeting=2,
            previous=year[held - 1],
            earlier_groups=year[:held],
        )
        rest = rota_build(**plan, current=dict(enumerate(year[held:])))
        afresh = rota_build(**plan)
        changed = sum(a != b for a, b in zip(rest, year[held:], strict=True))
        assert changed <= sum(a != b for a, b in zip(afresh, year[held:], strict=True))
        if _balanced(year[held:]):  # the rest of the year keeps the rules as it stands
            assert changed == 0, f"after {held} meetings held"
            kept_whole += 1
    assert kept_whole


def test_a_current_focus_that_breaks_a_rule_is_still_changed():
    # A theme in focus at two meetings in a row is never kept.
    plan = rota_build(
        themes=THEMES, meetings=3, per_meeting=2, current={0: ("A", "B"), 1: ("A", "C")}
    )
    assert plan[0] == ("A", "B")
    assert "A" not in plan[1]
