"""The auditor's recent changes say, in sentences, what changed and which theme, budget or
board it belongs to, including period closes, rows allocated by hand, matching rules, the rota
applied and packs published, each linked to where it is read in the service (not the admin)."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone

from board.actions import rota as rota_actions
from board.models import RotaRun
from budget.actions import imports as import_actions
from budget.actions import periods as period_actions
from budget.actions import rules as rule_actions
from budget.demo import demo_setup
from budget.models import LedgerRow
from havering_improve.actions import history_user
from reporting.models import MeetingPack
from tests.board.factories import MeetingFactory
from tests.budget.conftest import csv_of, row, upload
from tests.themes.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def _auditor_home(client, auditor) -> str:
    client.force_login(auditor)
    html = client.get("/").content.decode()
    return html[html.index('id="auditor"') :]


def test_each_change_names_its_theme_and_says_what_changed(
    client, auditor, theme, programme_manager
):
    with history_user(programme_manager):
        milestone = MilestoneFactory(
            theme=theme, title="Supervision policy", due_date=dt.date(2026, 12, 3)
        )
        milestone.title = "Supervision policy signed off"
        milestone.due_date = dt.date(2026, 12, 10)
        milestone.save()
    html = _auditor_home(client, auditor)
    assert "Supervision: Milestone “Supervision policy signed off” changed" in html
    assert "Title: Supervision policy → Supervision policy signed off" in html
    assert "Due date: 3 December 2026 → 10 December 2026" in html
    assert 'href="/themes/supervision/history/"' in html


def test_budget_and_board_events_are_among_the_changes_without_the_admin(
    client,
    auditor,
    programme,
    finance_officer,
    programme_manager,
    django_capture_on_commit_callbacks,
):
    allocation = programme.allocations.get(start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    training = row(ref="TR1", subjective="4800", period="1", date="15/04/2019", amount="250.00")
    batch = upload(allocation, finance_officer, csv_of(training))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    line = allocation.lines.get(code="family-therapists")
    rule_actions.row_allocate(
        row=LedgerRow.objects.get(reference="TR1"),
        splits=[(line, D("250.00"))],
        actor=finance_officer,
        save_rule="coding",
    )
    period_actions.period_close(allocation=allocation, period=1, actor=finance_officer)

    board = programme.boards.get(slug="improvement-board")
    today = timezone.localdate()
    for weeks in (2, 6, 10, 14):
        MeetingFactory(board=board, date=today + dt.timedelta(weeks=weeks))
    with django_capture_on_commit_callbacks(execute=True):
        run = rota_actions.rota_request(board=board, actor=programme_manager)
    assert RotaRun.objects.get(pk=run.pk).status == RotaRun.Status.DONE
    meeting = board.meetings.order_by("date").first()
    pack = MeetingPack.objects.create(
        meeting=meeting, status=MeetingPack.Status.PUBLISHED, published_at=timezone.now(),
        published_by=programme_manager,
    )  # fmt: skip

    html = _auditor_home(client, auditor)
    assert "Budget 2019/20: Period 1 (April 2019) closed" in html
    assert "Budget 2019/20: £250.00 of a ledger row allocated by hand to " + line.title in html
    assert (
        "Budget 2019/20: Matching rule added: Cost centre C21450, subjective 4800 → " + line.title
    ) in html
    assert "Budget 2019/20: Ledger file “extract.csv” imported: 1 row, £250.00" in html
    assert "Children&#x27;s Services Improvement Board: Rota applied: Planned 4 meetings" in html
    assert (
        f"Children&#x27;s Services Improvement Board: Pack for the meeting of "
        f"{meeting.date.day} {meeting.date:%B %Y} published"
    ) in html
    assert f'href="/board/packs/{pack.pk}/"' in html
    assert 'href="/budget/2019-20/periods/"' in html
    assert "/admin/" not in html
    assert not re.search(r"Changed by|: \d+ →", html)
