"""Two people pressing the same button at the same moment, through the web pages, on two real
database connections (each thread has its own). The first request is held inside its
transaction until the second has been sent, so the two always overlap; then both finish.

Used by tests/test_races_postgres.py in the test process, and by tests/test_races_sqlite.py in
a process of its own on a SQLite file (`python -m tests.races <database file>`: an in-memory
database shows no locking), which prints what each scenario's two requests got as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from unittest import mock

WAIT = 30  # seconds: only reached if the code under test hangs
OVERLAP = 1.0  # seconds the second request runs while the first is held


@dataclass
class Answer:
    status: int
    said: list[str]  # the messages shown on the next page
    page: str = ""  # a page sent back (200) or a server error (500)

    def told(self) -> list[str]:
        """The messages, or the error summary of a page sent back with errors."""
        if self.said or self.status != 200:
            return self.said
        summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', self.page, re.S)
        return re.findall(r"<li>\s*(?:<a [^>]*>)?([^<]+?)\s*<", summary.group(1)) if summary else []


@contextmanager
def _held(target, name):
    """`target.name` stops the first time it is called, until released."""
    original = getattr(target, name)
    inside, release = threading.Event(), threading.Event()

    def holding(call):
        def held(*args, **kwargs):
            if not inside.is_set():
                inside.set()
                release.wait(WAIT)
            return call(*args, **kwargs)

        return held

    held = holding(original)
    if hasattr(original, "within"):  # an action other actions do as part of their own
        held.within = holding(original.within)
    with mock.patch.object(target, name, held):
        yield inside, release


def _press(user, url, data) -> Answer:
    from django.contrib.messages import get_messages
    from django.db import connection
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    try:
        response = client.post(url, data)
        said = [str(m) for m in get_messages(response.wsgi_request)]
        page = response.content.decode(errors="replace") if response.status_code >= 200 else ""
        return Answer(response.status_code, said, page if response.status_code != 302 else "")
    finally:
        connection.close()


def race(user, url, data, hold) -> list[Answer]:
    """POST `data` to `url` twice at once as `user`; the first is held at `hold` (an object and
    the name of a method on it that the action calls inside its transaction)."""
    answers: list[Answer | None] = [None, None]

    def run(n):
        try:
            answers[n] = _press(user, url, data)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            answers[n] = Answer(0, [], repr(exc))

    with _held(*hold) as (inside, release):
        first = threading.Thread(target=run, args=(0,), daemon=True)
        first.start()
        assert inside.wait(WAIT), "the first request never reached its action"
        second = threading.Thread(target=run, args=(1,), daemon=True)
        second.start()
        second.join(OVERLAP)
        release.set()
        first.join(WAIT)
        second.join(WAIT)
    assert not first.is_alive() and not second.is_alive(), "a request never finished"
    return answers


# --- the scenarios: each sets up its data and races; returns the two answers ---------------


def publish_a_pack(programme, manager, days_ahead=14, **_):
    from reporting.models import MeetingPack
    from tests.board.factories import MeetingFactory

    board = programme.boards.get(slug="improvement-board")
    meeting = MeetingFactory(board=board, date=dt.date.today() + dt.timedelta(days=days_ahead))
    pack = MeetingPack.objects.create(meeting=meeting, version=1, status=MeetingPack.Status.READY)
    answers = race(
        manager, f"/board/packs/{pack.pk}/publish/", {"confirm": "yes"}, (MeetingPack, "save")
    )
    pack.refresh_from_db()
    assert pack.status == MeetingPack.Status.PUBLISHED
    return answers


def confirm_a_ledger_file(programme, finance, **_):
    from budget.actions import imports as import_actions
    from budget.demo import demo_setup
    from budget.models import BudgetAllocation, LedgerImport, LedgerRow
    from tests.budget.conftest import csv_of, row, upload

    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    demo_setup(allocation=allocation, user=finance)
    batch = upload(allocation, finance, csv_of(row(ref="AP60", amount="600.00")))
    assert batch.status == LedgerImport.Status.PREVIEWED, batch.errors
    answers = race(
        finance,
        f"/budget/2019-20/imports/{batch.pk}/confirm/",
        {},
        (import_actions, "ledger_rows_insert"),
    )
    assert LedgerRow.objects.filter(reference="AP60").count() == 1
    return answers


def submit_a_report(programme, lead, **_):
    from tests.themes.factories import HighlightReportFactory
    from themes.models import HighlightReport

    theme = programme.themes.get(slug="supervision")
    theme.lead = lead
    theme.save(update_fields=["lead"])
    report = HighlightReportFactory(theme=theme)
    answers = race(
        lead,
        f"/themes/supervision/reports/{report.pk}/submit/",
        {"version": report.version},
        (HighlightReport, "save"),
    )
    report.refresh_from_db()
    assert report.status == HighlightReport.Status.SUBMITTED
    return answers


def carry_the_lines_forward(programme, finance, **_):
    from budget.actions import allocations as allocation_actions
    from budget.models import BudgetAllocation

    answers = race(
        finance,
        "/budget/2019-20/carry-forward/",
        {"confirm": "on"},
        (allocation_actions, "_carried"),
    )
    assert BudgetAllocation.objects.filter(programme=programme, start_year=2020).count() == 1
    return answers


DEFERRED = "publish a pack, transactions taking the lock late"
SCENARIOS = {
    "publish a pack": publish_a_pack,
    "confirm a ledger file": confirm_a_ledger_file,
    "submit a report": submit_a_report,
    "carry the lines forward": carry_the_lines_forward,
}

# The first person is told it was done; the second that it already was (or to try again).
SUCCESS = {
    "publish a pack": (
        "Pack published. Board members and the focus themes' leads can now open it: "
        "each is e-mailed a link."
    ),
    "confirm a ledger file": "Imported 1 rows totalling £600.00.",
    "submit a report": "The November 2026 report was submitted and is now locked.",
    "carry the lines forward": "The 2020/21 budget has been started.",
}
SECOND = {
    "publish a pack": "This pack is already published: board members can open it.",
    "confirm a ledger file": "extract.csv has been imported already: nothing was imported twice.",
    "submit a report": "This report has been submitted already.",
    "carry the lines forward": "There is already a budget for 2020/21.",
}


def people():
    """The programme and the people who press the buttons."""
    from havering_improve import roles
    from portfolio import loader
    from tests.factories import UserFactory

    programme, _ = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    return {
        "programme": programme,
        "manager": UserFactory(username="race-pm", roles=[roles.PROGRAMME_MANAGER]),
        "finance": UserFactory(username="race-finance", roles=[roles.FINANCE_OFFICER]),
        "lead": UserFactory(username="race-lead", roles=[roles.PROJECT_LEAD]),
    }


def main(database_file: str) -> None:
    """Migrate a fresh SQLite file, run every scenario on it, print the answers as JSON."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havering_improve.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's signals and in-memory e-mail
    # The tables straight from the models, as pytest --nomigrations makes them: a minute
    # quicker than running every migration, and no migration adds data these scenarios need.
    from django.apps import apps
    from django.conf import settings

    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    everyone = people()
    results = {
        name: [asdict(answer) for answer in scenario(**everyone)]
        for name, scenario in SCENARIOS.items()
    }
    # Any lock conflict left: with transactions that take the lock only when they first write
    # (SQLite's default), the two requests deadlock and SQLite refuses one of them at once.
    from django.db import connections

    connections.settings["default"]["OPTIONS"]["transaction_mode"] = "DEFERRED"
    results[DEFERRED] = [asdict(answer) for answer in publish_a_pack(**everyone, days_ahead=21)]
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1])
