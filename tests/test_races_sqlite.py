"""On the default SQLite run, two identical requests at the same moment (publishing a pack,
confirming a ledger file, submitting a report) give one success and one clear message: never
a 500 "database is locked". SQLite's locking shows only on a database file, so the scenarios
(tests/races.py) run in a process of their own, against a fresh file, with the app's settings."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError

from havering_improve import actions
from havering_improve.errors import TryAgain
from tests.races import DEFERRED, SECOND, SUCCESS, Answer


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    database = tmp_path_factory.mktemp("races") / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    done = subprocess.run(
        [sys.executable, "-m", "tests.races", str(database)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scenario", list(SUCCESS))
def test_two_presses_at_once_on_sqlite_give_one_success_and_one_clear_message(answers, scenario):
    first, second = (Answer(**answer) for answer in answers[scenario])
    assert first.status < 500 and second.status < 500, (first.page, second.page)
    assert first.told() == [SUCCESS[scenario]]
    assert second.told() == [SECOND[scenario]]


def test_a_lock_conflict_sqlite_refuses_at_once_is_the_try_again_message(answers):
    """The app's transactions take the write lock as they begin; were one to take it late,
    SQLite would refuse one of two overlapping requests at once: that person is asked to try
    again, nothing saved, never a 500."""
    told = sorted(Answer(**answer).told()[0] for answer in answers[DEFERRED])
    assert told == sorted([SUCCESS["publish a pack"], TryAgain.MESSAGE])


def test_a_fault_that_is_not_a_lock_conflict_is_not_hidden():
    assert not actions.is_lock_conflict(OperationalError("no such table: budget_ledgerrow"))
    assert actions.is_lock_conflict(OperationalError("database is locked"))
