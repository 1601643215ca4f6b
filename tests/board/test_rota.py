"""The rota rules, as properties that hold for any calendar and any pins."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from board.rota import RotaImpossible, rota_build


def assert_keeps_the_rules(rota, *, themes, meetings, per_meeting, previous=()):
    assert len(rota) == meetings
    assert all(len(set(group)) == per_meeting for group in rota)
    counts = Counter({t: 0 for t in themes})
    counts.update(t for group in rota for t in group)
    assert max(counts.values()) - min(counts.values()) <= 1, counts
    for before, after in zip([tuple(previous), *rota], rota, strict=False):
        assert not set(before) & set(after), (before, after)


@st.composite
def calendars(draw):
    per_meeting = draw(st.integers(1, 3))
    themes = list(range(draw(st.integers(2 * per_meeting, 2 * per_meeting + 5))))
    meetings = draw(st.integers(0, 26))
    return themes, meetings, per_meeting


@settings(max_examples=150, deadline=None)
@given(calendars())
def test_any_calendar_gets_a_balanced_rota_with_no_theme_twice_in_a_row(calendar):
    themes, meetings, per_meeting = calendar
    rota = rota_build(themes=themes, meetings=meetings, per_meeting=per_meeting)
    assert_keeps_the_rules(rota, themes=themes, meetings=meetings, per_meeting=per_meeting)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars(), st.data())
def test_pins_taken_from_any_valid_rota_are_honoured_and_the_rest_rebalances(calendar, data):
    themes, meetings, per_meeting = calendar
    assume(meetings > 0)
    # Pins drawn from a rota that keeps the rules, so a rota with them is known to exist.
    valid = rota_build(themes=themes, meetings=meetings, per_meeting=per_meeting)
    pinned, kept_off = {}, {}
    for i, group in enumerate(valid):
        pinned[i] = set(data.draw(st.lists(st.sampled_from(group), max_size=per_meeting)))
        others = [t for t in themes if t not in group]
        kept_off[i] = set(data.draw(st.lists(st.sampled_from(others), max_size=2)))
    rota = rota_build(
        themes=themes, meetings=meetings, per_meeting=per_meeting, pinned=pinned, kept_off=kept_off
    )
    assert_keeps_the_rules(rota, themes=themes, meetings=meetings, per_meeting=per_meeting)
    for i, group in enumerate(rota):
        assert pinned[i] <= set(group)
        assert not kept_off[i] & set(group)


@settings(max_examples=150, deadline=None)
@given(calendars(), st.data())
def test_any_pins_give_a_rota_that_keeps_the_rules_or_a_reason_why_not(calendar, data):
    themes, meetings, per_meeting = calendar
    assume(meetings > 0)
    meeting_index = st.integers(0, meetings - 1)
    pinned = data.draw(st.dictionaries(meeting_index, st.sets(st.sampled_from(themes)), max_size=4))
    kept_off = data.draw(
        st.dictionaries(meeting_index, st.sets(st.sampled_from(themes)), max_size=4)
    )
    previous = data.draw(st.sets(st.sampled_from(themes), max_size=per_meeting))
    try:
        rota = rota_build(
            themes=themes,
            meetings=meetings,
            per_meeting=per_meeting,
            pinned=pinned,
            kept_off=kept_off,
            previous=previous,
        )
    except RotaImpossible as exc:
        assert str(exc)  # a reason the programme manager can act on
        return
    assert_keeps_the_rules(
        rota, themes=themes, meetings=meetings, per_meeting=per_meeting, previous=previous
    )
    for i, group in enumerate(rota):
        assert pinned.get(i, set()) <= set(group)
        assert not kept_off.get(i, set()) & set(group)


def test_a_year_of_monthly_meetings_never_repeats_a_pair_of_the_seven_themes():
    rota = rota_build(themes=list("ABCDEFG"), meetings=12, per_meeting=2)
    assert len(set(rota)) == 12


def test_every_pair_has_its_turn_before_any_pair_comes_round_again():
    rota = rota_build(themes=list("ABCDEFG"), meetings=25, per_meeting=2)
    assert len(set(rota[:21])) == 21  # all 21 pairs of seven themes, once each


def test_pairs_already_used_at_past_meetings_wait_for_the_others():
    rota = rota_build(
        themes=list("ABCD"), meetings=2, per_meeting=2, earlier_groups=[("A", "B"), ("C", "D")]
    )
    assert set(rota) & {("A", "B"), ("C", "D")} == set()


def test_the_meeting_before_the_plan_counts_for_back_to_back():
    rota = rota_build(themes=list("ABCD"), meetings=1, per_meeting=2, previous=("A", "B"))
    assert rota == [("C", "D")]


def test_too_few_themes_for_two_a_meeting_is_refused_with_the_reason():
    with pytest.raises(RotaImpossible, match="at least 4 themes"):
        rota_build(themes=list("ABC"), meetings=3, per_meeting=2)


def test_a_theme_pinned_to_two_meetings_in_a_row_is_refused_with_the_reason():
    with pytest.raises(RotaImpossible, match="back to back"):
        rota_build(themes=list("ABCDE"), meetings=3, per_meeting=2, pinned={0: {"A"}, 1: {"A"}})


def test_a_pin_that_would_unbalance_the_rota_is_refused():
    # A in focus at meetings 1 and 3 of 3 with 6 themes: A twice while others once at most.
    with pytest.raises(RotaImpossible):
        rota_build(themes=list("ABCDEF"), meetings=3, per_meeting=2, pinned={0: {"A"}, 2: {"A"}})
