"""`pytest --durations` reports the time tests took, even in tests that freeze the clock."""

import time

import pytest
from _pytest import timing
from freezegun import freeze_time


@pytest.mark.parametrize("tick", [False, True], ids=["stopped", "ticking"])
def test_a_frozen_clock_leaves_the_durations_pytest_reports_real(tick):
    """The frozen day is weeks from today: a patched clock would report a duration of nothing
    (stopped) or start it on the frozen day (ticking)."""
    before = time.time()
    with freeze_time("2026-11-26 10:00:00", tick=tick):
        started = timing.Instant()
        time.sleep(0.05)
        took = started.elapsed().seconds
    assert abs(started.time - before) < 60  # today, not the frozen day
    assert 0.04 < took < 60
