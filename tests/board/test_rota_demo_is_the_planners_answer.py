"""The demo's rota is the planner's own answer as of the day it is loaded, and no rota e-mail
calls a meeting that has already been held "next"."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from board.actions import rota as rota_actions
from board.models import Board, RotaRun
from havering_improve import roles
from tests.board.factories import MeetingFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEXT_ON = re.compile(r"next in focus (?:at the .+? )?on (\d{1,2} \w+ \d{4})")


def _next_dates(message) -> list[dt.date]:
    text = f"{message.subject}\n{message.body}"
    return [dt.datetime.strptime(d, "%d %B %Y").date() for d in NEXT_ON.findall(text)]


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_programme", "--demo", stdout=StringIO())
    return Board.objects.get(slug="improvement-board")


def test_generating_the_rota_on_the_untouched_demo_proposes_no_change(demo):
    proposal = rota_actions.rota_propose(board=demo)
    assert proposal.error == ""
    assert proposal.changes, "the demo has meetings open to planning"
    assert [
        (c.meeting.date, [t.slug for t in c.before], [t.slug for t in c.after])
        for c in proposal.changed
    ] == []


@pytest.mark.parametrize("days_later", [35, 63, 120])
def test_with_nothing_changed_the_rota_stays_the_planners_answer_as_meetings_are_held(
    demo, days_later
):
    """A meeting held leaves the plan; the meetings after it keep their focus."""
    later = timezone.localdate() + dt.timedelta(days=days_later)
    proposal = rota_actions.rota_propose(board=demo, today=later)
    assert proposal.error == ""
    assert proposal.changes
    assert [c.meeting.date for c in proposal.changed] == []


def test_the_demos_rota_e_mails_name_only_meetings_to_come_and_each_lead_is_told_once(demo):
    today = timezone.localdate()
    rota_mails = [m for m in mail.outbox if "in focus" in m.subject]
    assert rota_mails, "the leads are told when their theme is next in focus"
    for message in rota_mails:
        for date in _next_dates(message):
            assert date >= today, f"{message.subject!r} calls a held meeting next"
    recipients = [m.to[0] for m in rota_mails]
    assert len(recipients) == len(set(recipients))


def test_a_rota_planned_as_of_an_earlier_day_e_mails_only_meetings_still_to_come(
    board, django_capture_on_commit_callbacks
):
    for theme in board.programme.themes.all():
        theme.lead = UserFactory(username=f"lead-{theme.slug}", roles=[roles.PROJECT_LEAD])
        theme.save(update_fields=["lead"])
    today = timezone.localdate()
    for weeks in (-12, -8, -4, 2, 6, 10, 14):
        MeetingFactory(board=board, date=today + dt.timedelta(weeks=weeks))
    run = RotaRun.objects.create(board=board)
    with django_capture_on_commit_callbacks(execute=True):
        rota_actions.rota_plan(run_id=run.pk, today=today - dt.timedelta(weeks=13))
    assert mail.outbox
    for message in mail.outbox:
        if message.subject.startswith(("Invitation: ", "Updated: ")):  # a calendar invitation
            day = dt.datetime.strptime(message.subject.rsplit(", ", 1)[1], "%d %B %Y").date()
            assert day >= today, message.subject
            continue
        dates = _next_dates(message)
        assert dates and min(dates) >= today, message.subject
