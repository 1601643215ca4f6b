"""On PostgreSQL, two identical requests at the same moment (publishing a pack, confirming a
ledger file, submitting a report) give one success and one clear message, never a 500; a lock
conflict that PostgreSQL reports (a deadlock, a lock timeout, a serialization failure) is the
"try again" message of the action, with nothing saved."""

import pytest
from django.db import OperationalError, connection

from budget.actions import periods as period_actions
from havering_improve.errors import TryAgain
from tests import races
from tests.services import need, using_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres(tmp_path, settings):
    need(using_postgres(), "two connections racing need PostgreSQL (DATABASE_URL=postgres://…)")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("scenario", list(races.SCENARIOS))
def test_two_presses_at_once_on_postgres_give_one_success_and_one_clear_message(scenario):
    first, second = races.SCENARIOS[scenario](**races.people())
    assert first.status < 500 and second.status < 500, (first.page, second.page)
    assert first.told() == [races.SUCCESS[scenario]]
    assert second.told() == [races.SECOND[scenario]]


def _lock_timeout_in(action):
    """The action, made to wait on a row another connection holds, with a short lock_timeout."""
    import threading

    from budget.models import BudgetAllocation

    allocation = BudgetAllocation.objects.get(start_year=2019)
    holding, release = threading.Event(), threading.Event()

    def hold():
        from django.db import transaction

        with transaction.atomic():
            BudgetAllocation.objects.select_for_update().get(pk=allocation.pk)
            holding.set()
            release.wait(races.WAIT)
        connection.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert holding.wait(races.WAIT)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        return action(allocation)
    finally:
        release.set()
        holder.join(races.WAIT)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def test_a_lock_postgres_gives_up_on_is_the_try_again_message(programme, finance_officer):
    def close(allocation):
        return period_actions.period_close(allocation=allocation, period=1, actor=finance_officer)

    with pytest.raises(TryAgain) as refused:
        _lock_timeout_in(close)
    assert refused.value.messages == [TryAgain.MESSAGE]
    assert isinstance(refused.value.__cause__, OperationalError)
