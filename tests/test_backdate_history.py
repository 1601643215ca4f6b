"""The demo dates what happened in each record's history, not only in its own fields."""

import datetime as dt

import pytest
from django.utils import timezone

from havering_improve.actions import backdate
from themes.actions.records import risk_create, risk_update
from themes.models import Risk

pytestmark = pytest.mark.django_db


def test_backdate_moves_the_history_entry_the_action_just_wrote(theme, lead):
    raised = timezone.make_aware(dt.datetime(2026, 3, 4, 14))
    closed = timezone.make_aware(dt.datetime(2026, 9, 1, 15))
    risk = risk_create(
        theme=theme, actor=lead, description="Agency cover ends", likelihood=3, impact=4
    )
    backdate(risk, history_at=raised)
    risk = risk_update(risk=risk, actor=lead, version=risk.version, status=Risk.Status.CLOSED)
    backdate(risk, history_at=closed)
    history = risk.history.order_by("history_date").values_list("history_type", "history_date")
    history = list(history)
    assert history == [("+", raised), ("~", closed)]
