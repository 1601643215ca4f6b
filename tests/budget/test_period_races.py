"""A period close and a ledger import confirmed at the same moment, on two real database
connections: they take turns on the allocation's lock, so an import never lands in a period
below a frozen snapshot. Each thread has its own connection (Django's are per thread)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from budget import imports, selectors
from budget.actions import imports as import_actions
from budget.actions import periods as period_actions
from budget.demo import demo_setup
from budget.models import BudgetAllocation, ForecastSnapshot, LedgerImport, LedgerRow
from havering_improve.errors import AlreadyDone
from tests.budget.conftest import close_periods, csv_of, row, upload
from tests.services import need, using_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 30  # seconds: only reached if the code under test hangs


@pytest.fixture(autouse=True)
def _postgres():
    need(using_postgres(), "two connections racing need PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def allocation(programme, finance_officer):
    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    close_periods(allocation, finance_officer, 1)
    return allocation


class Worker(threading.Thread):
    """Runs `work` on its own database connection, keeping its result or its exception."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None

    def run(self):
        try:
            self.result = self.work()
        except Exception as exc:  # noqa: BLE001 - handed to the test to assert on
            self.error = exc
        finally:
            connection.close()

    def finish(self):
        self.join(WAIT)
        assert not self.is_alive(), "the worker never finished"
        return self


def _hold(monkeypatch, module, name):
    """Make `module.name` stop half-way through its transaction, once, until released."""
    original = getattr(module, name)
    inside, release = threading.Event(), threading.Event()

    def holding(call):
        def held(*args, **kwargs):
            result = call(*args, **kwargs)
            if not inside.is_set():
                inside.set()
                assert release.wait(WAIT)
            return result

        return held

    held = holding(original)
    if hasattr(original, "within"):  # an action other actions do as part of their own
        held.within = holding(original.within)
    monkeypatch.setattr(module, name, held)
    return inside, release


def _period_2_rows(allocation):
    return LedgerRow.objects.filter(allocation=allocation, period=2, active=True)


def test_an_import_confirmed_while_a_close_runs_waits_and_is_refused(
    allocation, finance_officer, monkeypatch
):
    batch = upload(allocation, finance_officer, csv_of(row(ref="AP60", amount="60000.00")))
    assert batch.status == LedgerImport.Status.PREVIEWED
    inside, release = _hold(monkeypatch, period_actions, "budget_report")  # close: snapshot taking

    close = Worker(
        lambda: period_actions.period_close(allocation=allocation, period=2, actor=finance_officer)
    )
    close.start()
    assert inside.wait(WAIT)
    confirm = Worker(
        lambda: import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    )
    confirm.start()
    confirm.join(1)
    assert confirm.is_alive(), "the import went ahead while the close was half done"
    release.set()

    assert close.finish().error is None
    assert isinstance(confirm.finish().error, imports.ImportRefused)
    assert "Period 2 is closed" in str(confirm.error)
    assert not _period_2_rows(allocation).exists()
    batch.refresh_from_db()
    assert batch.status == LedgerImport.Status.PREVIEWED
    report = selectors.budget_report(allocation)
    assert report.total.actual_to_date == Decimal("0.00")
    assert report.total.previous_outturn == report.total.latest_outturn


def test_a_close_asked_for_while_an_import_is_confirmed_waits_and_freezes_its_rows(
    allocation, finance_officer, monkeypatch
):
    batch = upload(allocation, finance_officer, csv_of(row(ref="AP60", amount="60000.00")))
    inside, release = _hold(monkeypatch, import_actions, "ledger_rows_insert")  # confirm: rows in

    confirm = Worker(
        lambda: import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    )
    confirm.start()
    assert inside.wait(WAIT)
    close = Worker(
        lambda: period_actions.period_close(allocation=allocation, period=2, actor=finance_officer)
    )
    close.start()
    close.join(1)
    assert close.is_alive(), "the close went ahead while the import was half done"
    release.set()

    assert confirm.finish().error is None
    assert close.finish().error is None
    assert _period_2_rows(allocation).count() == 1
    frozen = ForecastSnapshot.objects.filter(period=2, line__code="research-in-practice").get()
    report = selectors.budget_report(allocation, as_at=2)
    line = next(f for f in report.lines if f.line.code == "research-in-practice")
    assert line.actual_to_date == Decimal("60000.00")
    assert frozen.outturn == line.latest_outturn


def test_two_closes_of_one_period_at_once_close_it_once(allocation, finance_officer, monkeypatch):
    inside, release = _hold(monkeypatch, period_actions, "budget_report")
    first = Worker(
        lambda: period_actions.period_close(allocation=allocation, period=2, actor=finance_officer)
    )
    second = Worker(
        lambda: period_actions.period_close(allocation=allocation, period=2, actor=finance_officer)
    )
    first.start()
    assert inside.wait(WAIT)
    second.start()
    second.join(1)
    release.set()

    errors = [first.finish().error, second.finish().error]
    assert errors[0] is None
    assert isinstance(errors[1], AlreadyDone)
    assert "Period 2 is already closed" in str(errors[1])
    assert ForecastSnapshot.objects.filter(period=2).count() == allocation.lines.count()
