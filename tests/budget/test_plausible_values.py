"""Money and dates that make no sense are refused where they are typed, in plain English:
negative commitments and post costs, virements that take a line below zero, RAG thresholds
outside 0–100, and dates outside 2000–2100 in every date field."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from board.forms import RecurrenceForm
from budget import selectors
from budget.actions import allocations as allocation_actions
from budget.forms import VirementForm
from budget.models import BudgetAllocation, Commitment, Post, Virement
from evaluation.forms import DateField as EvaluationDateField
from themes.forms import _date_field

pytestmark = pytest.mark.django_db
Y = "/budget/2019-20"
OUT_OF_RANGE = "Enter a date between 1 January 2000 and 31 December 2100."


@pytest.fixture
def fo(client, finance_officer, set_up):
    client.force_login(finance_officer)
    return client


def test_a_negative_commitment_is_refused(fo, lines):
    response = fo.post(
        f"{Y}/lines/resources/commitments/new/",
        {
            "kind": "order",
            "description": "Credit note",
            "amount": "-1500",
            "raised_on_0": "20",
            "raised_on_1": "9",
            "raised_on_2": "2019",
        },
    )
    assert "A commitment (a credit is a ledger row, not a commitment) cannot be less than £0." in (
        response.content.decode()
    )
    assert not Commitment.objects.exists()


def test_a_negative_post_cost_is_refused(fo, lines):
    response = fo.post(
        f"{Y}/lines/qa-support-officer/posts/new/",
        {"post_number": "P1", "title": "QA", "annual_cost": "-39000", "status": "vacant"},
    )
    assert "A post&#x27;s annual cost cannot be less than £0." in response.content.decode()
    assert not Post.objects.filter(post_number="P1").exists()


def _virement(fo, lines, amount):
    return fo.post(
        f"{Y}/virements/",
        {
            "from_line": lines["resources"].pk,
            "to_line": lines["family-therapists"].pk,
            "amount": amount,
            "reason": "Moving it",
            "approved_by": "A. Director",
            "approved_on_0": "1",
            "approved_on_1": "10",
            "approved_on_2": "2019",
        },
    )


def test_a_virement_cannot_take_a_line_below_zero(fo, lines):
    budget = lines["resources"].amount
    response = _virement(fo, lines, str(budget + D("0.01")))
    assert "a virement cannot take a line below £0" in response.content.decode()
    assert f"£{budget:,.2f}" in response.content.decode()
    assert not Virement.objects.exists()
    _virement(fo, lines, str(budget - 100))
    response = _virement(fo, lines, "100.01")
    assert "has £100.00 of budget" in response.content.decode()
    assert Virement.objects.count() == 1
    _virement(fo, lines, "100.00")
    assert Virement.objects.count() == 2


@pytest.mark.parametrize(("amber", "red"), [("-1", "5"), ("2", "150"), ("101", "102")])
def test_rag_thresholds_stay_between_0_and_100(fo, amber, red):
    response = fo.post(
        f"{Y}/settings/", {"cost_centres": "C21450", "amber_percent": amber, "red_percent": red}
    )
    assert "Enter a percentage from 0 to 100." in response.content.decode()
    settings = selectors.allocation_settings(BudgetAllocation.objects.get(start_year=2019))
    assert (settings.amber_percent, settings.red_percent) == (D("2"), D("5"))


def test_rag_thresholds_are_checked_by_the_service_too(set_up, finance_officer):
    with pytest.raises(ValidationError):
        allocation_actions.allocation_settings_update(
            allocation=set_up, actor=finance_officer, amber_percent=D("2"), red_percent=D("500")
        )


def _date_fields():
    for app in ("themes", "budget", "board", "evaluation"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.DateField) and not isinstance(
                    field, models.DateTimeField
                ):
                    yield f"{model.__name__}.{field.name}", field


@pytest.mark.parametrize(
    ("name", "field"), list(_date_fields()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_date_field_refuses_dates_outside_2000_to_2100(name, field):
    for wrong in (dt.date(9999, 12, 31), dt.date(1999, 12, 31), dt.date(2101, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            field.run_validators(wrong)
        assert refused.value.messages == [OUT_OF_RANGE]
    for right in (dt.date(2000, 1, 1), dt.date(2026, 11, 26), dt.date(2100, 12, 31)):
        field.run_validators(right)


def test_every_date_form_field_refuses_them_too(set_up):
    for field in (_date_field("Due date"), EvaluationDateField(label="Start date")):
        with pytest.raises(ValidationError) as refused:
            field.clean(["31", "12", "9999"])
        assert OUT_OF_RANGE in refused.value.messages
        assert field.clean(["26", "11", "2026"]) == dt.date(2026, 11, 26)
    virement = VirementForm(
        {"approved_on_0": "1", "approved_on_1": "10", "approved_on_2": "1019"},
        lines=set_up.lines.all(),
    )
    assert OUT_OF_RANGE in virement.errors["approved_on"]
    recurrence = RecurrenceForm(
        {"first_date_0": "31", "first_date_1": "12", "first_date_2": "9999"}
    )
    assert OUT_OF_RANGE in recurrence.errors["first_date"]
