"""The service asks for dates one way (the GOV.UK date input) and answers mistakes in plain
English that names the field, never with Python's own words."""

import datetime as dt

import pytest

from havering_improve.forms import DateField, GovukForm


class _Form(GovukForm):
    due_date = DateField(label="Due date")
    done_on = DateField(label="Completion date", required=False)


def _errors(**parts):
    data = {"due_date_0": "", "due_date_1": "", "due_date_2": ""}
    data.update({f"due_date_{i}": v for i, v in enumerate(parts.get("due", ("", "", "")))})
    form = _Form(data)
    assert not form.is_valid()
    return form.errors["due_date"]


@pytest.mark.parametrize(
    "due, message",
    [
        (("", "", ""), "Enter the due date"),
        (("31", "2", "2027"), "Due date must be a real date"),
        (("0", "0", "0"), "Due date must include a year with 4 numbers"),
        (("12", "13", "2027"), "Due date must be a real date"),
        (("12", "3", "27"), "Due date must include a year with 4 numbers"),
        (("x", "3", "2027"), "Due date must be a real date"),
        (("", "3", "2027"), "Due date must include a day"),
        (("12", "", "2027"), "Due date must include a month"),
    ],
)
def test_a_date_mistake_is_named_in_plain_english(due, message):
    errors = _errors(due=due)
    assert errors == [message]
    assert not any("range" in e or "invalid literal" in e for e in errors)


def test_a_real_date_is_a_date_and_an_optional_one_may_be_blank():
    form = _Form({"due_date_0": " 7", "due_date_1": "3", "due_date_2": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due_date": dt.date(2027, 3, 7), "done_on": None}


class _Numbers(GovukForm):
    from django import forms as _f

    count = _f.IntegerField(label="How many meetings", min_value=1, max_value=60)
    amount = _f.DecimalField(label="Amount", max_digits=6, decimal_places=2)
    title = _f.CharField(label="Title", max_length=5)
    kind = _f.ChoiceField(label="Kind", choices=[("a", "A")])
    likelihood = _f.IntegerField(label="Likelihood", error_messages={"required": "Say how likely"})


def test_every_field_answers_a_mistake_by_its_name_not_with_djangos_words():
    errors = _Numbers({"count": "0", "amount": "lots", "title": "Too long"}).errors
    assert errors["count"] == ["How many meetings must be 1 or more"]
    assert errors["amount"] == ["Amount must be a number"]
    assert errors["title"] == ["Title must be 5 characters or fewer"]
    assert errors["kind"] == ["Select the kind"]
    assert errors["likelihood"] == ["Say how likely"]  # a form's own message is kept
    assert _Numbers({"count": "61"}).errors["count"] == ["How many meetings must be 60 or less"]
    assert _Numbers({}).errors["title"] == ["Enter the title"]


def test_a_validators_own_message_and_a_percent_in_a_label_survive():
    from decimal import Decimal

    from django import forms as f
    from django.core.validators import MinValueValidator

    class _Form(GovukForm):
        cost = f.DecimalField(
            label="Annual cost",
            validators=[MinValueValidator(Decimal(0), message="A cost cannot be less than £0.")],
        )
        amber = f.IntegerField(label="Amber threshold (%)", min_value=0)

    errors = _Form({"cost": "-1", "amber": "-1"}).errors
    assert errors["cost"] == ["A cost cannot be less than £0."]
    assert errors["amber"] == ["Amber threshold (%) must be 0 or more"]
    assert _Form({}).errors["amber"] == ["Enter the amber threshold (%)"]
