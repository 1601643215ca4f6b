"""`pytest --durations` reports the time tests took, even in tests that freeze the clock."""

import time

from _pytest import timing
from freezegun import freeze_time


def test_a_frozen_clock_leaves_the_durations_pytest_reports_real():
    before = time.time()
    with freeze_time("2026-11-26 10:00:00", tick=True):
        started = timing.Instant()
        time.sleep(0.05)
        took = started.elapsed().seconds
    assert abs(started.time - before) < 60  # today, not the frozen day
    assert 0.04 < took < 60
